package io.tidegate.store;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/** An effect as the outbox holds it: state, attempts so far, when to try next, last error. */
public record OutboxEntry(Effect effect, OutboxState state, int attempts, Instant createdAt,
        Instant nextAttemptAt, Optional<String> lastError) {
    public OutboxEntry {
        Objects.requireNonNull(effect, "effect == null");
        Objects.requireNonNull(state, "state == null");
        Objects.requireNonNull(createdAt, "createdAt == null");
        Objects.requireNonNull(nextAttemptAt, "nextAttemptAt == null");
        Objects.requireNonNull(lastError, "lastError == null");
    }
}
