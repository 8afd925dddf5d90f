package io.tidegate.store;

import java.util.Optional;

import java.time.Instant;

/**
 * All of Tidegate's durable state, one interface per concern. Two engines implement it:
 * {@link SqliteStore} (one process, a file) and {@link DynamoDbStore} (several replicas sharing
 * tables, no other coordination). Both pass the same contract suite; every method is safe for
 * concurrent use from many threads and from several store instances over the same data.
 *
 * <p>Methods take the current time as an argument instead of reading a clock, so callers (and
 * tests) decide what "now" is. Times are stored to the millisecond.
 */
public interface Store extends AutoCloseable {
    DeliveryStore deliveries();

    InboxStore inbox();

    OutboxStore outbox();

    AuditStore audit();

    CostReportStore costReports();

    OverrideStore overrides();

    LockStore locks();

    DeploymentStore deployments();

    /** Open reviewed PRs and when time next changes their verdict. */
    ReviewSchedule schedule();

    /** On-demand freezes ({@code tidegate freeze}, the environments API). */
    FreezeStore freezes();

    /** The audit read organisation-wide (the same records as {@link #audit()}). */
    AuditLog auditLog();

    /** Every policy version that decided, by hash. */
    PolicyVersionStore policyVersions();

    /** The last review of every open PR (the dashboard's "what waits"). */
    ReviewBoardStore reviewBoard();

    /** Deployment counts for the dashboard's statistics and charts. */
    DeploymentFigures deploymentFigures();

    /**
     * Webhook intake: adds {@code event} to the inbox (its id is the delivery id) and, when it
     * was new, marks the delivery seen, returning whether it was new. The delivery is marked
     * only after the add, never before (see {@link DeliveryStore}). SQLite writes the inbox row
     * alone, in a transaction shared with other concurrent intakes (group commit), and reads
     * that row as the mark; the default does the two steps one after the other.
     */
    default boolean acceptDelivery(InboxEvent event, boolean supersedeQueued) {
        if (!inbox().add(event, supersedeQueued)) {
            return false;
        }
        // A second sighting here means the inbox had already forgotten the id (past
        // retention); the add above still stands.
        deliveries().markSeen(event.id(), event.receivedAt());
        return true;
    }

    /**
     * Runs {@code reads} (calls to this store's parts that only read) so that they see one state
     * of the store where it can: SQLite runs them as one read transaction. There, each read
     * transaction that begins after any commit refills the reader's page cache, and a gate
     * decision's five reads as five transactions refilled it up to five times (issue 19).
     * DynamoDB has no such transaction, and its default runs them one after the other. Nothing in
     * {@code reads} may wait on anything else (a network call): it would hold the transaction.
     */
    default <T> T readTogether(java.util.function.Supplier<T> reads) {
        return reads.get();
    }

    /** A cheap round trip proving the store answers; throws {@link StoreException} if not. */
    void ping();

    /**
     * Why writes were refused for lack of space within {@code within}, if they were: a store
     * on a full disk may still take a small write while refusing every delivery (SQLite). Empty
     * by default (DynamoDB has no disk of ours).
     */
    default Optional<String> writesRefusedWithin(java.time.Duration within) {
        return Optional.empty();
    }

    /**
     * Deletes what is past its {@link Retention}, returning how many records went. DynamoDB
     * deletes by TTL on its own, so its implementation does nothing and returns 0.
     */
    int purgeExpired(Instant now);

    /** For logs and readiness: engine and location, never a credential. */
    String describe();

    @Override
    void close();
}
