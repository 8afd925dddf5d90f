package io.tidegate.notify;

import java.util.List;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tidegate.text.Untrusted;

/**
 * Renders an event as a Slack Block Kit message: a header with the environment, the mentions and
 * the PR link, the facts as two-column fields, the longer text (what failed, why) as its own
 * section, and the next step as context. {@code text} repeats the mentions and the gist, because
 * Slack uses it for the push notification and for clients that cannot show blocks.
 *
 * <p>Only the policy's {@code mention:} entries may ping. They are written as Slack's own syntax
 * where it has one ({@code @here} as {@code <!here>}; {@code <!subteam^S0123>} and
 * {@code <@U0123>} as written); a group named by handle ({@code @devops-lead}) needs
 * {@code link_names}, which is set only then. Every other text, ours and the PR's, passes
 * {@link Untrusted#slack}: no markup, and no {@code @} that {@code link_names} could link. The body
 * has no {@code channel}: the sender adds it for {@code chat.postMessage} and leaves it out for
 * incoming webhooks, which post to their own channel.
 *
 * <p>Limits from Slack's Block Kit reference: header text 150 characters, section text 3000,
 * field text 2000, at most 10 fields per section.
 */
public final class SlackMessageFormat {
    private static final int HEADER_MAX = 150;
    private static final int FIELD_MAX = 2000;
    private static final int DETAIL_MAX = 2800;
    private static final int FIELDS_PER_SECTION = 10;
    private static final JsonNodeFactory nodes = JsonNodeFactory.instance;

    private SlackMessageFormat() {}

    public static ObjectNode render(NotificationEvent event, List<String> policyMentions) {
        List<String> mentions = policyMentions.stream().map(SlackMessageFormat::mention).toList();
        MessageContent content = MessageContent.of(event);
        ObjectNode message = nodes.objectNode();
        message.put("text", text(event, content, mentions));
        ArrayNode blocks = message.putArray("blocks");
        blocks.add(header(content, event.environment()));
        String lead = event.link().map(pr -> lead(pr, mentions))
                .orElse(String.join(" ", mentions));
        if (!lead.isEmpty()) {
            blocks.add(markdownSection(lead));
        }
        addFields(blocks, content.fields());
        content.detail().ifPresent(d -> blocks.add(markdownSection(
                "*" + d.label() + "*\n```" + codeText(d.value()) + "```")));
        blocks.add(context(Untrusted.slack(content.nextStep(), DETAIL_MAX)));
        if (mentions.stream().anyMatch(m -> !SLACK_SYNTAX.matcher(m).matches())) {
            // Slack links "@handle" to a user group only with link_names; nothing else in the
            // message has an @ it could link (Untrusted.slack breaks every one)
            message.put("link_names", true);
        }
        message.put("unfurl_links", false);
        return message;
    }

    /** Mentions as the policy wrote them (they may be {@code <!subteam^ID>}), then the gist. */
    private static String text(NotificationEvent event, MessageContent content,
            List<String> mentions) {
        String gist = userText(content.title() + " in " + event.environment())
                + event.link().map(pr -> userText(": " + pr.key())
                        + (pr.title().isEmpty() ? "" : " " + userText(pr.title()))).orElse("");
        return mentions.isEmpty() ? gist : String.join(" ", mentions) + " " + gist;
    }

    private static ObjectNode header(MessageContent content, String environment) {
        ObjectNode text = nodes.objectNode()
                .put("type", "plain_text")
                .put("text", truncate(content.emoji() + " " + content.title() + " · "
                        + environment, HEADER_MAX))
                .put("emoji", true);
        ObjectNode header = nodes.objectNode().put("type", "header");
        header.set("text", text);
        return header;
    }

    /** Mentions first, so they are seen, then the PR as a link titled "repo#N: title". */
    private static String lead(PullRequestLink pr, List<String> mentions) {
        // Untrusted.slack writes a "|" (which would end the URL part early) as U+2223
        String label = userText(pr.key())
                + (pr.title().isEmpty() ? "" : ": " + userText(pr.title()));
        String link = "*<" + pr.url() + "|" + label + ">*";
        return mentions.isEmpty() ? link : String.join(" ", mentions) + "\n" + link;
    }

    private static void addFields(ArrayNode blocks, List<MessageContent.Field> fields) {
        for (int i = 0; i < fields.size(); i += FIELDS_PER_SECTION) {
            ObjectNode section = nodes.objectNode().put("type", "section");
            ArrayNode out = section.putArray("fields");
            for (MessageContent.Field f : fields.subList(i, Math.min(fields.size(),
                    i + FIELDS_PER_SECTION))) {
                out.add(markdown("*" + f.label() + "*\n" + Untrusted.slack(f.value(),
                        FIELD_MAX - f.label().length() - 3)));
            }
            blocks.add(section);
        }
    }

    private static ObjectNode markdownSection(String mrkdwn) {
        ObjectNode section = nodes.objectNode().put("type", "section");
        section.set("text", markdown(mrkdwn));
        return section;
    }

    private static ObjectNode context(String mrkdwn) {
        ObjectNode context = nodes.objectNode().put("type", "context");
        context.putArray("elements").add(markdown(mrkdwn));
        return context;
    }

    private static ObjectNode markdown(String text) {
        return nodes.objectNode().put("type", "mrkdwn").put("text", text);
    }

    /**
     * Text inside a code block (an apply's error output): line by line inert, so no line can
     * close the block (Untrusted.slackCode writes no backtick) or mention anyone; short enough.
     */
    private static String codeText(String text) {
        StringBuilder out = new StringBuilder();
        for (String line : text.strip().split("\\R", -1)) {
            String inert = Untrusted.slackCode(line, DETAIL_MAX);
            if (out.length() + inert.length() + 1 > DETAIL_MAX) {
                return out.append('…').toString();
            }
            out.append(out.length() == 0 ? "" : "\n").append(inert);
        }
        return out.toString();
    }

    /** Any text but the policy's mentions: inert in mrkdwn (see {@link Untrusted#slack}). */
    static String userText(String text) {
        return Untrusted.slack(text, FIELD_MAX);
    }

    /** A mention in Slack's syntax: a user, a group or a special one, as a policy may write it. */
    private static final java.util.regex.Pattern SLACK_SYNTAX =
            java.util.regex.Pattern.compile("<(?:@[UW][A-Z0-9]+|!subteam\\^[A-Z0-9]+|!here"
                    + "|!channel|!everyone)>");

    /**
     * A policy {@code mention:} entry as Slack pings it: the special mentions in Slack's own
     * syntax (they ping without {@code link_names}), Slack syntax as written, a handle as
     * written (linked by {@code link_names}).
     */
    static String mention(String entry) {
        String m = entry.strip();
        return switch (m) {
            case "@here", "@channel", "@everyone" -> "<!" + m.substring(1) + ">";
            default -> m;
        };
    }
    static String truncate(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max - 1) + "…";
    }
}
