package io.tidegate.store;

import java.util.Objects;

/**
 * Something to do to the outside world (a PR comment, a commit status, a Slack or SNS
 * message), performed at least once by the outbox dispatcher.
 *
 * @param idempotencyKey unique per effect; a performer must be able to tell from the remote
 *                       whether the effect with this key was already performed (for example a
 *                       hidden marker in a comment), so a retry never performs it twice
 * @param kind           which performer handles it ({@code github.comment}, {@code slack})
 * @param payload        what the performer needs, usually JSON
 */
public record Effect(String idempotencyKey, String kind, String payload) {
    public Effect {
        Objects.requireNonNull(idempotencyKey, "idempotencyKey == null");
        Objects.requireNonNull(kind, "kind == null");
        Objects.requireNonNull(payload, "payload == null");
        if (idempotencyKey.isBlank()) {
            throw new IllegalArgumentException("idempotencyKey is blank");
        }
    }
}
