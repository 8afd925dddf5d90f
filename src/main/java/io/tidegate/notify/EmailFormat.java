package io.tidegate.notify;

import java.util.Objects;

/**
 * Renders an event as a plain-text e-mail for SNS: a subject that fits SNS's rules and a body of
 * aligned "Label: value" lines. Same facts as the Slack message ({@link MessageContent}).
 */
public final class EmailFormat {
    /** SNS: "ASCII text that begins with a letter, number, or punctuation mark; must not
     * include line breaks or control characters; and must be less than 100 characters". */
    static final int SUBJECT_MAX = 99;
    /** SNS messages are at most 256 KB; a Terraform error log can be longer. */
    static final int DETAIL_MAX = 100_000;

    private EmailFormat() {}

    /** A rendered e-mail. */
    public record Email(String subject, String body) {
        public Email {
            Objects.requireNonNull(subject, "subject == null");
            Objects.requireNonNull(body, "body == null");
        }
    }

    public static Email render(NotificationEvent event) {
        MessageContent content = MessageContent.of(event);
        String subject = "[Tidegate] " + content.title() + " in " + event.environment()
                + event.link().map(pr -> ": " + pr.key() + titled(pr)).orElse("");
        return new Email(subject(subject), body(event, content));
    }

    private static String body(NotificationEvent event, MessageContent content) {
        StringBuilder b = new StringBuilder()
                .append(content.title()).append(" in ").append(event.environment()).append("\n\n");
        int width = labelWidth(content);
        event.link().ifPresent(pr -> {
            line(b, width, "Pull request", pr.key() + titled(pr));
            line(b, width, "Link", pr.url().toString());
        });
        for (MessageContent.Field f : content.fields()) {
            line(b, width, f.label(), f.value());
        }
        content.detail().ifPresent(d ->
                b.append('\n').append(d.label()).append(":\n").append(truncate(d.value().strip()))
                        .append('\n'));
        return b.append('\n').append(content.nextStep()).append('\n').toString();
    }

    /** " title", or nothing when the title is not known (no dangling space). */
    private static String titled(PullRequestLink pr) {
        return pr.title().isEmpty() ? "" : " " + pr.title();
    }

    /** Values start two columns after the longest "Label:". */
    private static int labelWidth(MessageContent content) {
        int longest = "Pull request".length();
        for (MessageContent.Field f : content.fields()) {
            longest = Math.max(longest, f.label().length());
        }
        return longest + 3;
    }

    private static void line(StringBuilder b, int width, String label, String value) {
        b.append(label).append(':').append(" ".repeat(width - label.length() - 1))
                .append(value).append('\n');
    }

    private static String truncate(String text) {
        return text.length() <= DETAIL_MAX ? text
                : text.substring(0, DETAIL_MAX) + "\n[... cut: " + (text.length() - DETAIL_MAX)
                        + " more characters]";
    }

    /** Only printable ASCII, one line, under 100 characters, as SNS demands. */
    static String subject(String text) {
        StringBuilder b = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            b.append(c >= 0x20 && c < 0x7f ? c : c == '\u2212' ? '-' : ' ');
        }
        String ascii = b.toString().replaceAll(" {2,}", " ").strip();
        return ascii.length() <= SUBJECT_MAX ? ascii : ascii.substring(0, SUBJECT_MAX - 3) + "...";
    }
}
