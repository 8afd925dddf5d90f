package io.tidegate.wiring;

import java.time.Clock;
import java.time.Duration;

import io.tidegate.lifecycle.PeriodicJob;
import io.tidegate.store.Store;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs {@link Store#purgeExpired} on a schedule (SQLite keeps no TTL of its own). */
final class StorePurge {
    private static final Logger log = LoggerFactory.getLogger(StorePurge.class);

    private StorePurge() {}

    /** The first purge runs as soon as the job starts, then one every {@code every}. */
    static PeriodicJob job(Store store, Clock clock, Duration every) {
        return PeriodicJob.every("store-purge", Duration.ZERO, every, () -> purge(store, clock));
    }

    private static void purge(Store store, Clock clock) {
        try {
            int n = store.purgeExpired(clock.instant());
            if (n > 0) {
                log.info("purged {} expired records from {}", n, store.describe());
            }
        } catch (RuntimeException e) {
            // the next run tries again; a failed purge only delays deletion
            log.warn("purge failed: {}", e.toString());
        }
    }
}
