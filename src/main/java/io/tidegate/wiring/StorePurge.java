package io.tidegate.wiring;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.tidegate.store.Store;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs {@link Store#purgeExpired} on a schedule (SQLite keeps no TTL of its own). */
final class StorePurge implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(StorePurge.class);

    private final ScheduledExecutorService scheduler;

    private StorePurge(ScheduledExecutorService scheduler) {
        this.scheduler = scheduler;
    }

    static StorePurge start(Store store, Clock clock, Duration every) {
        ScheduledExecutorService s = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "store-purge");
            t.setDaemon(true);
            return t;
        });
        s.scheduleWithFixedDelay(() -> purge(store, clock), 0, every.toMillis(),
                TimeUnit.MILLISECONDS);
        return new StorePurge(s);
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

    @Override
    public void close() {
        scheduler.shutdown();
        try {
            scheduler.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
