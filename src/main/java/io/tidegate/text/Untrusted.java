package io.tidegate.text;

import io.tidegate.logging.SecretRedactor;

/**
 * The one place where text that someone outside Tidegate controls (a PR title, a branch, a login,
 * a project name, dir or workspace, a label, an override reason, a command argument, and every
 * reason message that quotes one of them) is made inert for the format it is written into. One
 * function per output format; each returns text that, placed where Tidegate writes plain words,
 * renders as exactly those words:
 *
 * <ul>
 *   <li>no line breaks, control, format or bidirectional characters (they could start a Markdown
 *       block, or show a login reversed: U+202E), whitespace runs are one space;</li>
 *   <li>no markup of the format (emphasis, links, code spans, HTML, table cells, quotes);</li>
 *   <li>no mention: an {@code @} is followed by a zero-width space, so neither GitHub nor Slack
 *       reads {@code @user}, {@code @org/team}, {@code @here} or {@code @channel} after it;</li>
 *   <li>bounded: at most {@link #MAX_CHARS} code points (or the given maximum), then "…";</li>
 *   <li>credentials masked by {@link SecretRedactor}, as in the logs.</li>
 * </ul>
 *
 * Text Tidegate writes itself (its headings, tables, the mentions a policy names) is never passed
 * through here: it is the only markup in the output. Pure and thread-safe.
 */
public final class Untrusted {
    /** Longest piece of untrusted text shown by default (GitHub titles are at most 256). */
    public static final int MAX_CHARS = 256;
    /** Breaks a mention: GitHub's and Slack's mention patterns need a name right after the @. */
    static final String ZERO_WIDTH_SPACE = "\u200B";
    /** CommonMark lets every ASCII punctuation character be escaped with a backslash (2.4). */
    private static final String MARKDOWN_PUNCTUATION = "!\"#$%&'()*+,-./:;<=>?[\\]^_`{|}~";

    private Untrusted() {}

    /**
     * GitHub-flavoured Markdown (comments, {@code explain}, replies): every ASCII punctuation
     * character is backslash-escaped (CommonMark 0.31, "Backslash escapes"; GFM also honours
     * {@code \|} inside table cells), so no emphasis, link, autolink, code span, HTML tag or
     * entity can start. Not for use inside a code span, where backslashes show literally.
     */
    public static String markdown(String text) {
        return markdown(text, MAX_CHARS);
    }

    public static String markdown(String text, int maxChars) {
        return escape(clean(text, maxChars), c -> c == '@' ? UNMENTION
                : MARKDOWN_PUNCTUATION.indexOf(c) >= 0 ? "\\" + c : null);
    }

    /**
     * Plain text for Atlantis's output, which Atlantis shows inside a fenced code block of its PR
     * comment ({@code server/events/templates/unwrapped_err.tmpl}, v0.47): no line break (a
     * line of its own could close the fence), a backtick becomes U+02CB, which looks alike but
     * opens and closes nothing, and an {@code @} is broken as everywhere (should Atlantis ever show
     * it outside the fence).
     */
    public static String plain(String text) {
        return plain(text, MAX_CHARS);
    }

    public static String plain(String text, int maxChars) {
        return clean(text, maxChars).replace('`', '\u02CB').replace("@", "@" + ZERO_WIDTH_SPACE);
    }

    /**
     * Slack mrkdwn: {@code &}, {@code <} and {@code >} as entities (Slack's "Formatting text for
     * app surfaces": the only escapes it has, so no {@code <!channel>} or {@code <url|label>}
     * can be written), the formatting characters {@code * _ ~ `} replaced by look-alikes that
     * format nothing (mrkdwn has no backslash escape), and a {@code |} as U+2223 so it cannot end
     * a link's URL. With the {@code @} broken, {@code @here} does not ping even where
     * {@code link_names} is on.
     */
    public static String slack(String text) {
        return slack(text, MAX_CHARS);
    }

    public static String slack(String text, int maxChars) {
        return escape(clean(text, maxChars), c -> switch (c) {
            case '&' -> "&amp;";
            case '<' -> "&lt;";
            case '>' -> "&gt;";
            case '@' -> UNMENTION;
            case '*' -> "\u2217"; // ASTERISK OPERATOR
            case '_' -> "\uFF3F"; // FULLWIDTH LOW LINE
            case '~' -> "\u223C"; // TILDE OPERATOR
            case '`' -> "\u02CB"; // MODIFIER LETTER GRAVE ACCENT
            case '|' -> "\u2223"; // DIVIDES
            default -> null;
        });
    }

    /**
     * Slack mrkdwn inside a code block ({@code ```...```}), where Slack formats nothing: only
     * what could end the block or reach outside it is changed ({@code &<>} as entities, a
     * backtick as U+02CB, the {@code @} broken), so error output keeps its underscores and
     * asterisks.
     */
    public static String slackCode(String text, int maxChars) {
        return escape(clean(text, maxChars), c -> switch (c) {
            case '&' -> "&amp;";
            case '<' -> "&lt;";
            case '>' -> "&gt;";
            case '@' -> UNMENTION;
            case '`' -> "\u02CB";
            default -> null;
        });
    }

    /**
     * HTML text or a quoted attribute value (for pages Tidegate may serve): the five characters
     * HTML gives meaning to as character references (OWASP's rule for HTML contexts).
     */
    public static String html(String text) {
        return html(text, MAX_CHARS);
    }

    public static String html(String text, int maxChars) {
        return escape(clean(text, maxChars), c -> switch (c) {
            case '&' -> "&amp;";
            case '<' -> "&lt;";
            case '>' -> "&gt;";
            case '"' -> "&quot;";
            case '\'' -> "&#39;";
            case '@' -> UNMENTION;
            default -> null;
        });
    }

    /**
     * The common part: one line, printable, bounded. Line and paragraph separators and tabs
     * become spaces; other control (Cc), format (Cf: bidi overrides and isolates, zero-width
     * characters), private-use and unassigned code points are dropped; a lone surrogate becomes
     * U+FFFD; runs of white space become one space, and the ends are trimmed.
     */
    static String clean(String text, int maxChars) {
        if (maxChars < 2) {
            throw new IllegalArgumentException("maxChars < 2: " + maxChars);
        }
        if (text == null) {
            return "";
        }
        // a reason may quote an upstream error that echoed a credential: masked as in the logs
        text = SecretRedactor.redact(text);
        StringBuilder out = new StringBuilder(Math.min(text.length(), maxChars * 2));
        int kept = 0;
        boolean space = false;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            i += Character.charCount(cp);
            if (isBreak(cp)) {
                space = out.length() > 0;
                continue;
            }
            if (isDropped(cp)) {
                continue;
            }
            if (Character.isSurrogate((char) cp) && Character.charCount(cp) == 1) {
                cp = '\uFFFD';
            }
            if (kept + (space ? 1 : 0) >= maxChars) {
                // more than fits: the last kept character gives way to the ellipsis
                out.setLength(out.offsetByCodePoints(out.length(), -1));
                return out.append('…').toString();
            }
            if (space) {
                out.append(' ');
                kept++;
                space = false;
            }
            out.appendCodePoint(cp);
            kept++;
        }
        return out.toString();
    }

    private static boolean isBreak(int cp) {
        return Character.isWhitespace(cp) || Character.isSpaceChar(cp) || cp == 0x85;
    }

    private static boolean isDropped(int cp) {
        int type = Character.getType(cp);
        return type == Character.CONTROL || type == Character.FORMAT
                || type == Character.PRIVATE_USE || type == Character.UNASSIGNED;
    }

    /** The replacement of one character in a format, or {@code null} to keep it. */
    @FunctionalInterface
    private interface CharEscape {
        String of(char c);
    }

    /** What a broken mention reads as: the {@code @} and a zero-width space after it. */
    private static final String UNMENTION = "@" + ZERO_WIDTH_SPACE;

    /** {@code clean} with each character {@code escape} maps replaced ({@code null}: kept). */
    private static String escape(String clean, CharEscape escape) {
        StringBuilder out = new StringBuilder(clean.length() + 16);
        for (int i = 0; i < clean.length(); i++) {
            char c = clean.charAt(i);
            String replacement = escape.of(c);
            if (replacement == null) {
                out.append(c);
            } else {
                out.append(replacement);
            }
        }
        return out.toString();
    }
}
