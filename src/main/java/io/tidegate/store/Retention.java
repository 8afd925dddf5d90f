package io.tidegate.store;

import java.time.Duration;

/**
 * How long each kind of record is kept. DynamoDB enforces these with a TTL attribute, SQLite
 * with {@link Store#purgeExpired}. Audit records and cost reports are kept forever.
 */
public final class Retention {
    /** GitHub redelivers for up to a few days; a week covers every manual redelivery too. */
    public static final Duration DELIVERIES = Duration.ofDays(7);
    /** Seed 001: deployment history is kept 90 days. */
    public static final Duration DEPLOYMENTS = Duration.ofDays(90);
    /** Finished inbox events and outbox effects, kept for inspection after the fact. */
    public static final Duration FINISHED_WORK = Duration.ofDays(7);
    /** Overrides stay readable for a while after they expire, for the PR's explanation. */
    public static final Duration EXPIRED_OVERRIDES = Duration.ofDays(30);

    private Retention() {}
}
