package io.tidegate.health;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Histogram buckets for latencies that should stay in milliseconds: 25 us, then each 25 % above
 * the last, up to the first at or above 1 s (59 buckets). Fine enough that p50/p99 read from two
 * scrapes ({@code histogram_quantile} in Prometheus, {@code bench/run} between two scrapes) are
 * within 12.5 % of the truth, and they add up across replicas, which client-side percentiles
 * do not.
 */
public final class LatencyBuckets {
    private LatencyBuckets() {}

    public static Duration[] fine() {
        List<Duration> out = new ArrayList<>();
        double us = 25;
        out.add(Duration.ofNanos(25_000));
        while (us < 1_000_000) {
            us *= 1.25;
            out.add(Duration.ofNanos(Math.round(us) * 1000));
        }
        return out.toArray(Duration[]::new);
    }
}
