package io.tidegate.store;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Effects to perform, at least once, each with attempts, next attempt time and last error.
 * Claiming an effect pushes its next attempt to the end of the lease, so a dispatcher that dies
 * mid-attempt leaves an effect that simply becomes due again.
 */
public interface OutboxStore {
    /**
     * Adds an effect due now; {@code false} (nothing changes) if its idempotency key is known,
     * so re-running the code that produced it never queues it twice.
     */
    boolean enqueue(Effect effect, Instant now);

    /** Leases up to {@code max} due effects, oldest due first. Atomic per effect. */
    List<OutboxClaim> claimDue(String worker, Instant now, Duration lease, int max);

    /**
     * Pushes a held claim's lease (its next attempt) to {@code until} while the dispatcher still
     * holds it; {@code false} if the claim is stale. The heartbeat of a running attempt.
     */
    boolean renew(OutboxClaim claim, Instant until);

    /**
     * Gives back the leases {@code worker} still holds at {@code now} (see
     * {@link InboxStore#releaseHeldBy}): those effects are due at {@code now}. Returns how many.
     */
    int releaseHeldBy(String worker, Instant now);

    /** {@code false} if the claim is stale (its lease ran out and another attempt began). */
    boolean markDone(OutboxClaim claim, Instant now);

    boolean retryAt(OutboxClaim claim, String error, Instant nextAttempt);

    boolean giveUp(OutboxClaim claim, String error, Instant now);

    Optional<OutboxEntry> get(String idempotencyKey);

    /** Effects not yet finished (due, waiting for a retry or leased): the outbox depth. */
    long countPending();
}
