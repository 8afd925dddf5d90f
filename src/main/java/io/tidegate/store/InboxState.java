package io.tidegate.store;

/** Where an inbox event is in its life. Only {@link #PENDING} events are ever claimed. */
public enum InboxState {
    /** Waiting, or leased to a worker. */
    PENDING,
    /** The handler finished it. */
    PROCESSED,
    /** A newer event with the same ordering key replaced it before it was claimed. */
    SUPERSEDED,
    /** The handler failed on it too often; kept with the last error, not retried. */
    FAILED
}
