package io.tidegate.decision;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the PR description the way GitHub renders it: task-list items ({@code - [ ]},
 * {@code - [x]}) and ATX headings ({@code ## Rollback plan}). Fenced code blocks and HTML
 * comments are skipped, so an untouched template ({@code <!-- describe the rollback -->}) does
 * not count as text.
 */
final class PullRequestText {
    /** GitHub task list item: a list marker, then [ ], [x] or [X]. */
    private static final Pattern TASK = Pattern.compile("^\\s*(?:[-*+]|\\d+[.)])\\s+\\[([ xX])\\]"
            + "(?:\\s.*)?$");
    /** CommonMark ATX heading: up to 3 spaces, 1-6 #, a space, text, optional closing #s. */
    private static final Pattern HEADING =
            Pattern.compile("^ {0,3}#{1,6}(?:\\s+(.*?))?(?:\\s+#+)?\\s*$");
    private static final Pattern HTML_COMMENT = Pattern.compile("<!--.*?-->", Pattern.DOTALL);

    private PullRequestText() {}

    /** Task items: how many in all and how many unticked. */
    record Checklist(int items, int unticked) {
        boolean isComplete() {
            return items > 0 && unticked == 0;
        }
    }

    static Checklist checklist(String body) {
        int items = 0;
        int unticked = 0;
        for (String line : visibleLines(body)) {
            Matcher m = TASK.matcher(line);
            if (m.matches()) {
                items++;
                if (m.group(1).equals(" ")) {
                    unticked++;
                }
            }
        }
        return new Checklist(items, unticked);
    }

    /** Whether a heading with this text (case-insensitive) is followed by non-empty text. */
    static boolean hasSection(String body, String heading) {
        List<String> lines = visibleLines(body);
        for (int i = 0; i < lines.size(); i++) {
            Matcher m = HEADING.matcher(lines.get(i));
            if (m.matches() && m.group(1) != null
                    && m.group(1).trim().toLowerCase(Locale.ROOT).equals(
                            heading.trim().toLowerCase(Locale.ROOT))
                    && hasTextBeforeNextHeading(lines, i + 1)) {
                return true;
            }
        }
        return false;
    }

    private static boolean hasTextBeforeNextHeading(List<String> lines, int from) {
        for (int i = from; i < lines.size(); i++) {
            if (HEADING.matcher(lines.get(i)).matches()) {
                return false;
            }
            if (!lines.get(i).isBlank()) {
                return true;
            }
        }
        return false;
    }

    /** Lines outside fenced code blocks, with HTML comments removed. */
    private static List<String> visibleLines(String body) {
        String text = HTML_COMMENT.matcher(body.replace("\r\n", "\n")).replaceAll("");
        List<String> out = new ArrayList<>();
        boolean fenced = false;
        for (String line : text.split("\n", -1)) {
            String t = line.trim();
            if (t.startsWith("```") || t.startsWith("~~~")) {
                fenced = !fenced;
                continue;
            }
            if (!fenced) {
                out.add(line);
            }
        }
        return out;
    }
}
