package io.tidegate.review;

import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.tidegate.github.GitHubWait;
import io.tidegate.health.LatencyBuckets;

/**
 * The gate's latency, split: {@value #LATENCY} (the whole decision, as before),
 * {@value #GITHUB} (the part spent waiting for GitHub, see {@link GitHubWait}), {@value #OWN}
 * (the rest: parsing, store, engine, audit, our side of the HTTP calls) and
 * {@value #REQUESTS} (GitHub requests per decision, a 304 included). Own and GitHub time are
 * histograms with fine buckets from 25 us to 1 s, each 25 % above the last: p50/p99 are
 * {@code histogram_quantile(0.99, rate(tidegate_gate_own_seconds_bucket[5m]))}, they add up
 * across instances, and a benchmark takes the quantiles of one load run from two scrapes
 * (Micrometer's client-side percentiles would be dropped from a histogram in Prometheus's
 * format, and cover a sliding window rather than the run).
 */
final class GateMeters {
    static final String LATENCY = "tidegate.gate.latency";
    static final String OWN = "tidegate.gate.own";
    static final String GITHUB = "tidegate.gate.github";
    static final String REQUESTS = "tidegate.gate.github.requests";

    private final Timer latency;
    private final Timer own;
    private final Timer github;
    private final DistributionSummary requests;

    GateMeters(MeterRegistry registry) {
        this.latency = Timer.builder(LATENCY)
                .description("Time to answer Atlantis's gate call, facts included")
                .publishPercentileHistogram()
                .register(registry);
        this.own = split(OWN, "Gate time excluding waits for GitHub", registry);
        this.github = split(GITHUB, "Gate time spent waiting for GitHub", registry);
        this.requests = DistributionSummary.builder(REQUESTS)
                .description("GitHub API requests per gate decision (a 304 counts)")
                .register(registry);
    }

    private static Timer split(String name, String description, MeterRegistry registry) {
        return Timer.builder(name).description(description)
                .serviceLevelObjectives(LatencyBuckets.fine())
                .register(registry);
    }

    /** Runs a decision and records its time, split into GitHub's and ours. */
    <T> T time(Supplier<T> decision) {
        GitHubWait.Totals before = GitHubWait.now();
        long start = System.nanoTime();
        try {
            return decision.get();
        } finally {
            long total = System.nanoTime() - start;
            GitHubWait.Totals waited = GitHubWait.now().minus(before);
            latency.record(total, TimeUnit.NANOSECONDS);
            github.record(waited.nanos(), TimeUnit.NANOSECONDS);
            own.record(Math.max(0, total - waited.nanos()), TimeUnit.NANOSECONDS);
            requests.record(waited.requests());
        }
    }
}
