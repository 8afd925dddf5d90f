package io.tidegate.store;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Accepted webhook events awaiting processing. An event is claimed by one worker at a time
 * under a lease; when the worker dies, the lease runs out and another worker reclaims it.
 *
 * <p>Ordering: among events with the same {@link InboxEvent#orderingKey()}, only the oldest
 * unfinished one can be claimed, so one pull request is processed one event at a time and in
 * the order the events were added.
 */
public interface InboxStore {
    /**
     * Adds an event; {@code false} (and nothing changes) if its id is already known. A webhook
     * is acknowledged only after this returned (either answer: a known id is a redelivery);
     * a {@link StoreException} must reach the caller as 503 (WebServer maps it), never 202,
     * so the delivery shows as failed in GitHub and is redelivered under the same id. With
     * {@code supersedeQueued}, older events with the same key that no worker holds become
     * {@link InboxState#SUPERSEDED}: processing the newest event makes them pointless.
     */
    boolean add(InboxEvent event, boolean supersedeQueued);

    /**
     * Leases the oldest claimable event to {@code worker} until {@code now + lease}. Atomic:
     * racing workers never get the same event while its lease runs.
     */
    Optional<InboxClaim> claim(String worker, Instant now, Duration lease);

    /**
     * Extends a claim's lease to {@code until} while its worker still holds it (a heartbeat:
     * short leases, renewed while the handler runs, let another replica take over soon after a
     * worker dies); {@code false} if the claim is stale.
     */
    default boolean renew(InboxClaim claim, Instant until) {
        return leases().renew(claim.lease(), until);
    }

    /**
     * Gives back the leases {@code worker} still holds at {@code now}: called at start-up by a
     * replica with a stable id, whose previous process died holding them, so its events run
     * at once instead of after the lease. The attempt each lease counted stays counted.
     * Returns how many were given back.
     */
    default int releaseHeldBy(String worker, Instant now) {
        return leases().releaseHeldBy(worker, now);
    }

    /** Finishes the event; {@code false} if the claim is stale (lease lost to another worker). */
    default boolean markProcessed(InboxClaim claim, Instant now) {
        return leases().finish(claim.lease(), InboxState.PROCESSED.name(), Optional.empty(), now);
    }

    /** Gives the event back with the error, claimable again from {@code retryAt}. */
    default boolean retryLater(InboxClaim claim, String error, Instant retryAt) {
        return leases().giveBack(claim.lease(), error, retryAt);
    }

    /** Stops retrying: the event is {@link InboxState#FAILED} and no longer blocks its key. */
    default boolean markFailed(InboxClaim claim, String error, Instant now) {
        return leases().finish(claim.lease(), InboxState.FAILED.name(), Optional.of(error), now);
    }

    Optional<InboxStatus> status(String id);

    /** The inbox's leases: the contract it shares with the outbox, one per store engine. */
    Leases leases();

    /** Events not yet finished (waiting or leased). */
    long countPending();
}
