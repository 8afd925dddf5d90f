package io.tidegate.store;

import java.time.Instant;
import java.util.Objects;

/**
 * An inbox event leased to one worker until {@code leaseUntil}. {@code attempt} counts claims
 * (1 for the first) and doubles as a fencing token: once the lease has expired and another
 * worker claimed the event, this claim can no longer complete it.
 */
public record InboxClaim(InboxEvent event, String worker, int attempt, Instant leaseUntil) {
    public InboxClaim {
        Objects.requireNonNull(event, "event == null");
        Objects.requireNonNull(worker, "worker == null");
        Objects.requireNonNull(leaseUntil, "leaseUntil == null");
    }

    /** The lease this claim holds, for the {@link Leases} of the inbox. */
    public Lease lease() {
        return new Lease(event.id(), worker, attempt);
    }
}
