package io.tidegate.store;

import java.time.Instant;
import java.util.Objects;

/**
 * A due effect leased to one dispatcher until {@code leaseUntil}; {@code attempt} counts
 * attempts (1 for the first) and fences stale claims, as in {@link InboxClaim}.
 */
public record OutboxClaim(Effect effect, String worker, int attempt, Instant leaseUntil) {
    public OutboxClaim {
        Objects.requireNonNull(effect, "effect == null");
        Objects.requireNonNull(worker, "worker == null");
        Objects.requireNonNull(leaseUntil, "leaseUntil == null");
    }

    /** The lease this claim holds, for the {@link Leases} of the outbox. */
    public Lease lease() {
        return new Lease(effect.idempotencyKey(), worker, attempt);
    }
}
