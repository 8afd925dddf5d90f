package io.tidegate.notify;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tidegate.policy.NotificationRules.Event;
import io.tidegate.store.PerformResult;

/**
 * The outbox side of notifications: the effect kinds, and how a {@link Delivery} or a batch of
 * {@link FinishedDeployment}s is written as an effect's JSON payload and read back. Payloads hold
 * what to say and where by name ({@code #infra-review}), never a webhook URL or token: those are
 * looked up from the configuration when the effect is performed, so a rotated credential takes
 * effect for messages already queued and the store never holds a secret.
 */
public final class NotifyEffects {
    public static final String SLACK = "notify.slack";
    public static final String EMAIL = "notify.email";
    public static final String CLOUDWATCH = "notify.cloudwatch";

    private static final ObjectMapper JSON = new ObjectMapper();

    private NotifyEffects() {}

    /** A payload that cannot be read back: retrying cannot fix it. */
    public static final class UnreadablePayloadException extends Exception {
        UnreadablePayloadException(String message) {
            super(message);
        }
    }

    public static String kindOf(Delivery.Kind kind) {
        return switch (kind) {
            case SLACK -> SLACK;
            case EMAIL -> EMAIL;
        };
    }

    public static String write(Delivery d) {
        ObjectNode node = JSON.createObjectNode()
                .put("kind", d.kind().tag())
                .put("target", d.target())
                .put("event", d.event().key())
                .put("environment", d.environment())
                .put("subject", d.subject())
                .put("body", d.body());
        return node.toString();
    }

    public static Delivery readDelivery(String payload) throws UnreadablePayloadException {
        JsonNode node = object(payload);
        try {
            return new Delivery(
                    Delivery.Kind.valueOf(text(node, "kind").toUpperCase(Locale.ROOT)),
                    text(node, "target"),
                    Event.valueOf(text(node, "event").toUpperCase(Locale.ROOT)),
                    text(node, "environment"),
                    text(node, "subject"),
                    text(node, "body"));
        } catch (IllegalArgumentException e) {
            throw new UnreadablePayloadException("unreadable notification payload: "
                    + e.getMessage());
        }
    }

    public static String write(List<FinishedDeployment> results) {
        ArrayNode array = JSON.createArrayNode();
        for (FinishedDeployment r : results) {
            ObjectNode node = array.addObject()
                    .put("environment", r.environment())
                    .put("succeeded", r.succeeded())
                    .put("finishedAt", r.finishedAt().toString());
            r.duration().ifPresent(d -> node.put("durationMillis", d.toMillis()));
        }
        return array.toString();
    }

    public static List<FinishedDeployment> readResults(String payload)
            throws UnreadablePayloadException {
        JsonNode array = parse(payload);
        if (!array.isArray()) {
            throw new UnreadablePayloadException("unreadable deployment metrics payload: "
                    + "not a JSON array");
        }
        List<FinishedDeployment> out = new ArrayList<>();
        try {
            for (JsonNode node : array) {
                Optional<Duration> duration = node.hasNonNull("durationMillis")
                        ? Optional.of(Duration.ofMillis(node.get("durationMillis").asLong()))
                        : Optional.empty();
                out.add(new FinishedDeployment(text(node, "environment"),
                        node.path("succeeded").asBoolean(),
                        duration, Instant.parse(text(node, "finishedAt"))));
            }
        } catch (RuntimeException e) {
            throw new UnreadablePayloadException("unreadable deployment metrics payload: "
                    + e.getMessage());
        }
        return out;
    }

    /**
     * What the outbox does with a sender's outcome: delivered is done; a retry keeps the
     * receiver's own wait ({@code Retry-After}) when it gave one, else the dispatcher backs off;
     * a failure is permanent, so the dispatcher gives up at once with the reason kept.
     */
    public static PerformResult toPerformResult(DeliveryOutcome outcome) {
        if (outcome instanceof DeliveryOutcome.Delivered) {
            return PerformResult.done();
        }
        if (outcome instanceof DeliveryOutcome.RetryLater r) {
            return r.retryAfter()
                    .map(after -> PerformResult.retryAfter(r.why(), after))
                    .orElseGet(() -> PerformResult.retry(r.why()));
        }
        if (outcome instanceof DeliveryOutcome.Failed f) {
            return PerformResult.permanent(f.why());
        }
        throw new AssertionError(outcome);
    }

    private static JsonNode parse(String payload) throws UnreadablePayloadException {
        try {
            return JSON.readTree(payload);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new UnreadablePayloadException("payload is not JSON: "
                    + e.getOriginalMessage());
        }
    }

    private static JsonNode object(String payload) throws UnreadablePayloadException {
        JsonNode node = parse(payload);
        if (node == null || !node.isObject()) {
            throw new UnreadablePayloadException("unreadable notification payload: "
                    + "not a JSON object");
        }
        return node;
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual()) {
            throw new IllegalArgumentException("'" + field + "' missing or not a string");
        }
        return value.asText();
    }
}
