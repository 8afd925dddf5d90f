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
    default boolean renew(OutboxClaim claim, Instant until) {
        return leases().renew(claim.lease(), until);
    }

    /**
     * Gives back the leases {@code worker} still holds at {@code now} (see
     * {@link InboxStore#releaseHeldBy}): those effects are due at {@code now}. Returns how many.
     */
    default int releaseHeldBy(String worker, Instant now) {
        return leases().releaseHeldBy(worker, now);
    }

    /** {@code false} if the claim is stale (its lease ran out and another attempt began). */
    default boolean markDone(OutboxClaim claim, Instant now) {
        return leases().finish(claim.lease(), OutboxState.DONE.name(), Optional.empty(), now);
    }

    /** Gives the effect back with the error, due again at {@code nextAttempt}. */
    default boolean retryAt(OutboxClaim claim, String error, Instant nextAttempt) {
        return leases().giveBack(claim.lease(), error, nextAttempt);
    }

    /** Stops trying: the effect is {@link OutboxState#GAVE_UP}, its error kept. */
    default boolean giveUp(OutboxClaim claim, String error, Instant now) {
        return leases().finish(claim.lease(), OutboxState.GAVE_UP.name(), Optional.of(error),
                now);
    }

    Optional<OutboxEntry> get(String idempotencyKey);

    /** The outbox's leases: the contract it shares with the inbox, one per store engine. */
    Leases leases();

    /** Effects not yet finished (due, waiting for a retry or leased): the outbox depth. */
    long countPending();
}
