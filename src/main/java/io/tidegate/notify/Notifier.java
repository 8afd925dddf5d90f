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
}
