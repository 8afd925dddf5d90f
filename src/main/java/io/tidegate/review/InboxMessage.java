package io.tidegate.review;

import java.util.Objects;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tidegate.github.WebhookEvent;

/**
 * What an inbox event asks the review side to do, and its JSON in the inbox. Webhooks are reduced
 * to these few fields before they are stored (never the raw body: it may be megabytes, and every
 * fact is read again from GitHub when the event is handled, so the inbox cannot serve stale
 * ones).
 *
 * <p>Kinds: {@value #WEBHOOK} (a verified webhook) and {@value #REVIEW_REQUEST} (a re-evaluation
 * asked for by Tidegate itself, for example after an Atlantis plan or an override).
 */
public sealed interface InboxMessage {
    String WEBHOOK = "github.webhook";
    String REVIEW_REQUEST = "review.request";

    /**
     * Evaluate the PR again (sticky comment and statuses). {@code headSha} is the head the event
     * reported, used to mark statuses when GitHub cannot be read.
     */
    record Evaluate(String repo, int number, String why, Optional<String> headSha,
            ReviewTrigger trigger) implements InboxMessage {
        public Evaluate {
            Objects.requireNonNull(repo, "repo == null");
            Objects.requireNonNull(why, "why == null");
            Objects.requireNonNull(headSha, "headSha == null");
            Objects.requireNonNull(trigger, "trigger == null");
        }

        /** An evaluation an event of the PR asks for. */
        public Evaluate(String repo, int number, String why, Optional<String> headSha) {
            this(repo, number, why, headSha, ReviewTrigger.EVENT);
        }
    }

    /** The PR was closed or merged: nothing to evaluate any more. */
    record Closed(String repo, int number, boolean merged) implements InboxMessage {
        public Closed {
            Objects.requireNonNull(repo, "repo == null");
        }
    }

    /** A comment on the PR, possibly a command. */
    record Comment(String repo, int number, long commentId, String commenter, boolean byBot,
            String body) implements InboxMessage {
        public Comment {
            Objects.requireNonNull(repo, "repo == null");
            Objects.requireNonNull(commenter, "commenter == null");
            Objects.requireNonNull(body, "body == null");
        }
    }

    /** Team memberships changed: forget what is cached about them. */
    record Membership(WebhookEvent.MembershipChange change) implements InboxMessage {
        public Membership {
            Objects.requireNonNull(change, "change == null");
        }
    }

    /** The inbox ordering key: one PR's evaluations run one at a time, in order. */
    static String prKey(String repo, int number) {
        return repo + "#" + number;
    }

    /**
     * Comment commands have their own key, so an evaluation that supersedes queued evaluations
     * never drops a command; commands of one PR still run one at a time, in order.
     */
    static String commandKey(String repo, int number) {
        return repo + "#" + number + ":comments";
    }

    /** JSON for the inbox. */
    static String encode(InboxMessage m, ObjectMapper json) {
        ObjectNode n = json.createObjectNode();
        if (m instanceof Evaluate e) {
            n.put("type", "evaluate").put("repo", e.repo()).put("number", e.number())
                    .put("why", e.why()).put("trigger", e.trigger().tag());
            e.headSha().ifPresent(s -> n.put("head_sha", s));
        } else if (m instanceof Closed c) {
            n.put("type", "closed").put("repo", c.repo()).put("number", c.number())
                    .put("merged", c.merged());
        } else if (m instanceof Comment c) {
            n.put("type", "comment").put("repo", c.repo()).put("number", c.number())
                    .put("comment_id", c.commentId()).put("commenter", c.commenter())
                    .put("by_bot", c.byBot()).put("body", c.body());
        } else {
            WebhookEvent.MembershipChange c = ((Membership) m).change();
            n.put("type", "membership").put("delivery", c.deliveryId())
                    .put("event", c.event()).put("action", c.action()).put("org", c.org());
            c.team().ifPresent(t -> n.put("team", t));
            c.login().ifPresent(l -> n.put("login", l));
        }
        return n.toString();
    }

    /** Reads what {@link #encode} wrote; {@link IllegalArgumentException} for anything else. */
    static InboxMessage decode(String payload, ObjectMapper json) {
        JsonNode n;
        try {
            n = json.readTree(payload);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("inbox payload is not JSON: " + e.getMessage(), e);
        }
        String type = n.path("type").asText("");
        return switch (type) {
            case "evaluate" -> new Evaluate(text(n, "repo"), n.path("number").asInt(),
                    n.path("why").asText(""), optional(n, "head_sha"),
                    ReviewTrigger.ofTag(n.path("trigger").asText("")));
            case "closed" -> new Closed(text(n, "repo"), n.path("number").asInt(),
                    n.path("merged").asBoolean());
            case "comment" -> new Comment(text(n, "repo"), n.path("number").asInt(),
                    n.path("comment_id").asLong(), text(n, "commenter"),
                    n.path("by_bot").asBoolean(), text(n, "body"));
            case "membership" -> new Membership(new WebhookEvent.MembershipChange(
                    text(n, "delivery"), text(n, "event"), text(n, "action"), text(n, "org"),
                    optional(n, "team"), optional(n, "login")));
            default -> throw new IllegalArgumentException("inbox payload has unknown type '"
                    + type + "'");
        };
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || !v.isTextual()) {
            throw new IllegalArgumentException("inbox payload has no " + field);
        }
        return v.textValue();
    }

    private static Optional<String> optional(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || !v.isTextual() ? Optional.empty() : Optional.of(v.textValue());
    }
}
