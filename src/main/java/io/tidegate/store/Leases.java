package io.tidegate.store;

import java.time.Instant;
import java.util.Optional;

/**
 * The leasing contract the inbox and the outbox share, one implementation per store engine
 * ({@link SqliteLeases}, {@link DynamoDbLeases}). An item is {@code PENDING} until a worker
 * finishes it; a worker holds it from its claim until its lease runs out, renewing the lease
 * while it works ({@link LeaseHeartbeat}). Every operation on a held item is fenced by the
 * {@link Lease}: it happens only while the item is still pending, owned by that worker and at
 * that attempt, and answers {@code false} (changing nothing) otherwise. How an item is claimed
 * (the inbox's per-key order, the outbox's due time) is the queue's own business.
 *
 * <p>Implementations are safe for concurrent use by workers of several processes.
 */
public interface Leases {
    /** Extends the lease to {@code until}: the heartbeat of a running attempt. */
    boolean renew(Lease lease, Instant until);

    /**
     * Ends the item in the final {@code state} ({@code PROCESSED}, {@code FAILED}, {@code DONE},
     * {@code GAVE_UP}), keeping {@code error} as its last error when given.
     */
    boolean finish(Lease lease, String state, Optional<String> error, Instant now);

    /** Gives the item back with {@code error}, claimable again from {@code dueAt}. */
    boolean giveBack(Lease lease, String error, Instant dueAt);

    /**
     * Gives back the leases {@code worker} still holds at {@code now} (a restarted replica with
     * a stable id): those items are claimable at once. The attempts they counted stay counted.
     * Returns how many.
     */
    int releaseHeldBy(String worker, Instant now);
}
