package io.tidegate.notify;

import java.util.List;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Renders an event as a Slack Block Kit message: a header with the environment, the mentions and
 * the PR link, the facts as two-column fields, the longer text (what failed, why) as its own
 * section, and the next step as context. {@code text} repeats the mentions and the gist, because
 * Slack uses it for the push notification and for clients that cannot show blocks.
 *
 * <p>Mentions are passed through as the policy writes them: {@code @devops-lead} is linked by
 * name ({@code link_names}); {@code <!subteam^S0123>} or {@code <@U0123>} always ping. The body
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

    public static ObjectNode render(NotificationEvent event, List<String> mentions) {
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
        blocks.add(context(escape(content.nextStep())));
        message.put("link_names", true);
        message.put("unfurl_links", false);
        return message;
    }

    /** Mentions as the policy wrote them (they may be {@code <!subteam^ID>}), then the gist. */
    private static String text(NotificationEvent event, MessageContent content,
            List<String> mentions) {
        String gist = escape(content.title() + " in " + event.environment())
                + event.link().map(pr -> escape(": " + pr.key())
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
        // A "|" would end the link's URL part early; U+2223 looks the same.
        String label = (escape(pr.key())
                + (pr.title().isEmpty() ? "" : ": " + userText(pr.title())))
                .replace('|', '\u2223');
        String link = "*<" + pr.url() + "|" + label + ">*";
        return mentions.isEmpty() ? link : String.join(" ", mentions) + "\n" + link;
    }

    private static void addFields(ArrayNode blocks, List<MessageContent.Field> fields) {
        for (int i = 0; i < fields.size(); i += FIELDS_PER_SECTION) {
            ObjectNode section = nodes.objectNode().put("type", "section");
            ArrayNode out = section.putArray("fields");
            for (MessageContent.Field f : fields.subList(i, Math.min(fields.size(),
                    i + FIELDS_PER_SECTION))) {
                out.add(markdown(truncate("*" + f.label() + "*\n" + escape(f.value()), FIELD_MAX)));
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

    /** Text inside a code block: escaped, no closing fence, short enough for a section. */
    private static String codeText(String text) {
        return escape(truncate(text.strip(), DETAIL_MAX)).replace("```", "'''");
    }

    /**
     * Text a user wrote (the PR title): escaped, and with every {@code @} followed by a zero-width
     * space, because the message sets {@code link_names} and a title saying "@here" or
     * "@channel" must not ping anyone. Mentions are the policy's to make, not the PR author's.
     */
    static String userText(String text) {
        return escape(text).replace("@", "@\u200B");
    }

    /** Slack's mrkdwn needs exactly these three escaped (api.slack.com, "Formatting text"). */
    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    static String truncate(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max - 1) + "…";
    }
}
