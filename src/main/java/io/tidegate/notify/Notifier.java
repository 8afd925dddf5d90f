package io.tidegate.notify;

/**
 * Sends one {@link Delivery} of its kind, once. Implementations make exactly one attempt and
 * report it as a {@link DeliveryOutcome}; retrying, backing off and giving up belong to the
 * outbox that calls them. They never throw for a failed send (only for a programming error such
 * as a delivery of the wrong kind). Must be safe for concurrent use.
 *
 * <p>{@code idempotencyKey} identifies the message across attempts (the outbox row). Slack and
 * standard SNS topics cannot deduplicate, so delivery is at least once; the key goes into logs
 * and, where the receiver supports it (SNS FIFO topics), into the request.
 */
public interface Notifier {
    /** Notifications off: every delivery is dropped and reported delivered. */
    Notifier NONE = (delivery, idempotencyKey) -> DeliveryOutcome.DELIVERED;

    DeliveryOutcome deliver(Delivery delivery, String idempotencyKey);

    /**
     * One notifier for the outbox to call: Slack deliveries to {@code slack}, e-mail to
     * {@code email} (either may be {@link #NONE}).
     */
    static Notifier byKind(Notifier slack, Notifier email) {
        java.util.Objects.requireNonNull(slack, "slack == null");
        java.util.Objects.requireNonNull(email, "email == null");
        return (delivery, key) -> switch (delivery.kind()) {
            case SLACK -> slack.deliver(delivery, key);
            case EMAIL -> email.deliver(delivery, key);
        };
    }
}
