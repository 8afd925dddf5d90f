package io.tidegate.store;

import java.time.Instant;
import java.util.Objects;

/**
 * An accepted webhook event waiting to be processed.
 *
 * @param id          unique id (the GitHub delivery id, or one made up by the caller)
 * @param orderingKey events with the same key are processed one at a time, in the order they
 *                    were added; use the pull request ({@code owner/repo#42})
 * @param kind        what the payload is ({@code pull_request}, {@code issue_comment}, ...)
 * @param payload     the body to hand to the handler, usually JSON
 */
public record InboxEvent(String id, String orderingKey, String kind, String payload,
        Instant receivedAt) {
    public InboxEvent {
        Objects.requireNonNull(id, "id == null");
        Objects.requireNonNull(orderingKey, "orderingKey == null");
        Objects.requireNonNull(kind, "kind == null");
        Objects.requireNonNull(payload, "payload == null");
        Objects.requireNonNull(receivedAt, "receivedAt == null");
        if (id.isBlank()) {
            throw new IllegalArgumentException("id is blank");
        }
        if (orderingKey.isBlank()) {
            throw new IllegalArgumentException("orderingKey is blank");
        }
    }
}
