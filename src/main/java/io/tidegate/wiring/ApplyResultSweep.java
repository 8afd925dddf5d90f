package io.tidegate.wiring;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.tidegate.review.UnreportedApplies;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs {@link UnreportedApplies#sweep} on a schedule, with either store (the hourly
 * {@link StorePurge} is SQLite's only). Every {@link #EVERY}: a lost apply result is noticed at
 * most that long after its lock lapsed, at the cost of one read of a week's deployments.
 */
final class ApplyResultSweep implements AutoCloseable {
    /** Against the 30-minute lock TTL of seed 000: noticed within 35 minutes of the start. */
    static final Duration EVERY = Duration.ofMinutes(5);
    private static final Logger log = LoggerFactory.getLogger(ApplyResultSweep.class);

    private final ScheduledExecutorService scheduler;

    private ApplyResultSweep(ScheduledExecutorService scheduler) {
        this.scheduler = scheduler;
    }

    /** The first run waits one period too: a starting server has other work first. */
    static ApplyResultSweep start(UnreportedApplies applies, Duration every) {
        ScheduledExecutorService s = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "apply-result-sweep");
            t.setDaemon(true);
            return t;
        });
        s.scheduleWithFixedDelay(() -> sweep(applies), every.toMillis(), every.toMillis(),
                TimeUnit.MILLISECONDS);
        return new ApplyResultSweep(s);
    }

    private static void sweep(UnreportedApplies applies) {
        try {
            int n = applies.sweep();
            if (n > 0) {
                log.info("ended {} deployments whose apply result never came as unknown", n);
            }
        } catch (RuntimeException e) {
            // the next run tries again; the records only stay running a little longer
            log.warn("apply result sweep failed: {}", e.toString());
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
