package io.tidegate.web;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import io.tidegate.store.Deployment;
import io.tidegate.store.DeploymentFigures;
import io.tidegate.store.DeploymentPage;
import io.tidegate.store.DeploymentStatus;
import io.tidegate.store.DeploymentStats;

/**
 * "Deployments" ({@code /deployments} and {@code GET /api/v1/dashboard/deployments}): the
 * statistics of {@code GET /api/v1/deployments/stats} (same {@link DeploymentStats}), drawn as
 * per-day counts and success rate and a duration distribution, the recent failures (the
 * Markdown report's sections), and one page of the history with the list API's filters and
 * cursor. Built from the store's deployments and now.
 */
public record DeploymentsPage(Header header, Filter filter, DeploymentStats stats,
        List<Day> days, int maxPerDay, List<Bucket> durations, int maxPerBucket,
        List<Deployment> failures, List<Deployment> history, Optional<String> nextCursor) {
    public DeploymentsPage {
        Objects.requireNonNull(header, "header == null");
        days = List.copyOf(days);
        durations = List.copyOf(durations);
        failures = List.copyOf(failures);
        history = List.copyOf(history);
    }

    /** The page's filters, as given (validated by the routes). */
    public record Filter(Optional<String> environment, Optional<String> repo, int days,
            Optional<String> cursor) {}

    /** One day in the policy's zone: outcomes started that day. */
    public record Day(LocalDate date, int succeeded, int failed, int unknown,
            Optional<Integer> successRatePercent) {
        public int total() {
            return succeeded + failed + unknown;
        }
    }

    /** Finished deployments whose duration falls in {@code [fromMinutes, toMinutes)}. */
    public record Bucket(String label, int count) {}

    /** The statistics' rows: the chosen period, then 7 and 30 days (each once). */
    public List<java.util.Map.Entry<String, DeploymentStats.Period>> periods() {
        List<java.util.Map.Entry<String, DeploymentStats.Period>> out = new ArrayList<>();
        if (stats.days() != 7 && stats.days() != 30) {
            out.add(java.util.Map.entry("last " + stats.days() + " days", stats.stats()));
        }
        out.add(java.util.Map.entry("last 7 days", stats.last7Days()));
        out.add(java.util.Map.entry("last 30 days", stats.last30Days()));
        return out;
    }

    private static final int[] BUCKET_MINUTES = {0, 1, 2, 5, 10, 20, 30};

    static DeploymentsPage build(Header header, Filter f, DeploymentFigures figures,
            List<Deployment> failures, DeploymentPage history, ZoneId zone, Instant now) {
        DeploymentFigures.Scope scope = new DeploymentFigures.Scope(f.environment(), f.repo());
        DeploymentStats stats = new DeploymentStats(f.environment(), f.days(), now,
                period(figures.counts(scope, now.minus(Duration.ofDays(f.days())), now)),
                period(figures.counts(scope, now.minus(Duration.ofDays(7)), now)),
                period(figures.counts(scope, now.minus(Duration.ofDays(30)), now)));
        int offset = zone.getRules().getOffset(now).getTotalSeconds();
        LocalDate first = LocalDate.ofInstant(now, zone).minusDays(f.days() - 1L);
        List<Day> days = days(figures.perDay(scope, first.atStartOfDay(zone).toInstant(), now,
                offset), first, f.days());
        Duration[] bounds = new Duration[BUCKET_MINUTES.length - 1];
        for (int i = 1; i < BUCKET_MINUTES.length; i++) {
            bounds[i - 1] = Duration.ofMinutes(BUCKET_MINUTES[i]);
        }
        List<Bucket> buckets = buckets(figures.durationHistogram(scope,
                now.minus(Duration.ofDays(f.days())), now, bounds));
        return new DeploymentsPage(header, f, stats, days,
                days.stream().mapToInt(Day::total).max().orElse(0), buckets,
                buckets.stream().mapToInt(Bucket::count).max().orElse(0), failures,
                history.items(), history.nextCursor());
    }

    /** A statistics period from counts per result, as {@link DeploymentStats} computes it. */
    static DeploymentStats.Period period(List<DeploymentFigures.Count> counts) {
        int[] n = new int[DeploymentStatus.values().length];
        long millis = 0;
        for (DeploymentFigures.Count c : counts) {
            n[c.result().ordinal()] += c.count();
            millis += c.durationMillis();
        }
        int succeeded = n[DeploymentStatus.SUCCEEDED.ordinal()];
        int failed = n[DeploymentStatus.FAILED.ordinal()];
        int running = n[DeploymentStatus.RUNNING.ordinal()];
        int unknown = n[DeploymentStatus.UNKNOWN.ordinal()];
        int total = succeeded + failed;
        if (total == 0) {
            return new DeploymentStats.Period(0, 0, 0, running, unknown, Optional.empty(),
                    Optional.empty());
        }
        return new DeploymentStats.Period(total, succeeded, failed, running, unknown,
                Optional.of(java.math.BigDecimal.valueOf(succeeded * 100L).divide(
                        java.math.BigDecimal.valueOf(total), 2, java.math.RoundingMode.HALF_UP)),
                Optional.of(Duration.ofMillis(millis / total)));
    }

    private static List<Day> days(List<DeploymentFigures.DayCount> counts, LocalDate first,
            int n) {
        int[][] c = new int[n][3];
        for (DeploymentFigures.DayCount d : counts) {
            int i = (int) (d.epochDay() - first.toEpochDay());
            if (i < 0 || i >= n) {
                continue;
            }
            if (d.result() == DeploymentStatus.SUCCEEDED) {
                c[i][0] += d.count();
            } else if (d.result() == DeploymentStatus.FAILED) {
                c[i][1] += d.count();
            } else if (d.result() == DeploymentStatus.UNKNOWN) {
                c[i][2] += d.count();
            }
        }
        List<Day> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int known = c[i][0] + c[i][1];
            out.add(new Day(first.plusDays(i), c[i][0], c[i][1], c[i][2], known == 0
                    ? Optional.empty() : Optional.of((int) Math.round(c[i][0] * 100.0 / known))));
        }
        return out;
    }

    private static List<Bucket> buckets(int[] counts) {
        List<Bucket> out = new ArrayList<>();
        for (int i = 0; i < BUCKET_MINUTES.length; i++) {
            String label = i == BUCKET_MINUTES.length - 1 ? "≥ " + BUCKET_MINUTES[i] + " min"
                    : BUCKET_MINUTES[i] + "–" + BUCKET_MINUTES[i + 1] + " min";
            out.add(new Bucket(label, counts[i]));
        }
        return out;
    }
}
