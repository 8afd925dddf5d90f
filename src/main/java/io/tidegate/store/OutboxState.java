package io.tidegate.store;

/** Where an outbox effect is in its life. */
public enum OutboxState {
    /** Waiting for its next attempt (or being attempted under a lease). */
    PENDING,
    /** Performed. */
    DONE,
    /** Failed permanently or too often; kept with the last error. */
    GAVE_UP
}
