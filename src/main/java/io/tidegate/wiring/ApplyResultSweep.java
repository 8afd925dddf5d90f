package io.tidegate.wiring;

import java.time.Duration;

import io.tidegate.lifecycle.PeriodicJob;
import io.tidegate.review.UnreportedApplies;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs {@link UnreportedApplies#sweep} on a schedule, with either store (the hourly
 * {@link StorePurge} is SQLite's only). Every {@link #EVERY}: a lost apply result is noticed at
 * most that long after its lock lapsed, at the cost of one read of a week's deployments.
 */
final class ApplyResultSweep {
    /** Against the 30-minute lock TTL of seed 000: noticed within 35 minutes of the start. */
    static final Duration EVERY = Duration.ofMinutes(5);
    private static final Logger log = LoggerFactory.getLogger(ApplyResultSweep.class);

    private ApplyResultSweep() {}

    /** The first run waits one period too: a starting server has other work first. */
    static PeriodicJob job(UnreportedApplies applies, Duration every) {
        return PeriodicJob.every("apply-result-sweep", every, every, () -> sweep(applies));
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
}
