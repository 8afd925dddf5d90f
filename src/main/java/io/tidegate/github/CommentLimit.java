package io.tidegate.github;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Keeps a comment within GitHub's limit ("Body is too long (maximum is 65536 characters)") by
 * dropping whole trailing sections and saying so, instead of letting GitHub refuse the comment.
 *
 * <p>Sections are separated by {@link #SECTION_BREAK}, a hidden HTML comment the renderer puts
 * before each section it is willing to lose (an environment, a project's cost breakdown). The
 * first section (headline and verdict) is always kept; only if it alone is too long is it cut at
 * a line end, closing any code fence or {@code <details>} it leaves open.
 *
 * <p>Lengths are counted in UTF-16 units, never fewer than the characters GitHub counts, so a
 * fitted body is always accepted. Pure: no I/O, safe anywhere.
 */
public final class CommentLimit {
    public static final int MAX_CHARS = 65_536;
    public static final String SECTION_BREAK = "<!-- tidegate:section -->";
    /** Room kept for the closers of a hard cut ({@code ```}, {@code </details>}). */
    private static final int CLOSER_RESERVE = 400;

    private CommentLimit() {}

    public static String fit(String body) {
        return fit(body, MAX_CHARS);
    }

    /** {@code body} as is when it fits in {@code limit}, else its leading sections and a note. */
    public static String fit(String body, int limit) {
        Objects.requireNonNull(body, "body == null");
        if (body.length() <= limit) {
            return body;
        }
        List<String> sections = sections(body);
        StringBuilder kept = new StringBuilder(sections.get(0));
        int keptCount = 1;
        // Add sections while the text plus the note for the rest still fits.
        while (keptCount < sections.size()) {
            String next = sections.get(keptCount);
            int omittedAfter = sections.size() - keptCount - 1;
            String note = omittedAfter == 0 ? "" : note(omittedAfter);
            if (kept.length() + next.length() + note.length() > limit) {
                break;
            }
            kept.append(next);
            keptCount++;
        }
        int omitted = sections.size() - keptCount;
        String note = note(Math.max(omitted, 1));
        if (kept.length() + note.length() <= limit) {
            return kept + note;
        }
        return hardCut(sections.get(0), limit - note.length()) + note;
    }

    /** The note that replaces {@code omitted} sections. */
    static String note(int omitted) {
        return "\n\n---\n> **Note:** " + omitted
                + (omitted == 1 ? " section was" : " sections were")
                + " left out because GitHub limits a comment to 65,536 characters. "
                + "Comment `tidegate explain` for the full decision.\n";
    }

    private static List<String> sections(String body) {
        List<String> out = new ArrayList<>();
        int start = 0;
        int at = body.indexOf(SECTION_BREAK, 1);
        while (at > 0) {
            out.add(body.substring(start, at));
            start = at;
            at = body.indexOf(SECTION_BREAK, at + SECTION_BREAK.length());
        }
        out.add(body.substring(start));
        return out;
    }

    /** The first {@code room} units of {@code text}, cut at a line end, with open blocks closed. */
    private static String hardCut(String text, int room) {
        int end = Math.max(0, room - CLOSER_RESERVE);
        int newline = text.lastIndexOf('\n', end);
        if (newline > 0) {
            end = newline;
        } else if (end > 0 && Character.isHighSurrogate(text.charAt(end - 1))) {
            end--; // never split a surrogate pair
        }
        StringBuilder cut = new StringBuilder(text.substring(0, end));
        if (count(cut, "```") % 2 == 1) {
            cut.append("\n```");
        }
        int openDetails = count(cut, "<details") - count(cut, "</details>");
        for (int i = 0; i < openDetails && cut.length() < room - 12; i++) {
            cut.append("\n</details>");
        }
        return cut.toString();
    }

    private static int count(CharSequence text, String what) {
        int n = 0;
        String s = text.toString();
        for (int at = s.indexOf(what); at >= 0; at = s.indexOf(what, at + what.length())) {
            n++;
        }
        return n;
    }
}
