package io.tidegate.store;

import java.util.Objects;

/**
 * One queued item held by one worker: the item's id (an inbox event's id, an effect's
 * idempotency key), the worker and the attempt that claimed it. The attempt is the fencing
 * token: once the lease ran out and another worker claimed the item, this lease changes nothing.
 */
public record Lease(String id, String worker, int attempt) {
    public Lease {
        Objects.requireNonNull(id, "id == null");
        Objects.requireNonNull(worker, "worker == null");
    }
}
