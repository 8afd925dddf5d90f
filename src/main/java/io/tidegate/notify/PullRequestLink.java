package io.tidegate.notify;

import java.net.URI;
import java.util.Objects;

/**
 * The pull request as a message shows it: {@code repo} is {@code owner/name}, {@code url} its
 * page on GitHub, {@code author} the GitHub login that opened it, {@code title} its title ("" when
 * not known). The title is user input: it is kept to one line of at most {@link #TITLE_MAX}
 * characters here, so that no format can be given a multi-line or huge one; each format still
 * escapes it as it does other user text.
 */
public record PullRequestLink(String repo, int number, String title, URI url, String author) {
    /** GitHub allows 256; a Slack header line or an e-mail subject shows far fewer. */
    public static final int TITLE_MAX = 100;

    public PullRequestLink {
        Objects.requireNonNull(repo, "repo == null");
        Objects.requireNonNull(title, "title == null");
        Objects.requireNonNull(url, "url == null");
        Objects.requireNonNull(author, "author == null");
        if (number <= 0) {
            throw new IllegalArgumentException("number must be positive, got " + number);
        }
        title = oneLine(title, TITLE_MAX);
    }

    /** {@code owner/name#number}, as locks and logs name a pull request. */
    public String key() {
        return repo + "#" + number;
    }

    /**
     * Line breaks, tabs and other control characters become spaces, bidirectional overrides
     * (which can make text read backwards) go, runs of spaces become one; then at most
     * {@code max} code points, the last one "…" when cut, never half a surrogate pair.
     */
    static String oneLine(String text, int max) {
        StringBuilder b = new StringBuilder(text.length());
        text.codePoints().forEach(c -> {
            if (isBidiControl(c)) {
                return;
            }
            boolean space = Character.isWhitespace(c) || Character.isISOControl(c)
                    || Character.isSpaceChar(c);
            b.appendCodePoint(space ? ' ' : c);
        });
        String line = b.toString().replaceAll(" {2,}", " ").strip();
        if (line.codePointCount(0, line.length()) <= max) {
            return line;
        }
        return line.substring(0, line.offsetByCodePoints(0, max - 1)).stripTrailing() + "…";
    }

    private static boolean isBidiControl(int c) {
        return (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069)
                || c == 0x200E || c == 0x200F || c == 0x061C;
    }
}
