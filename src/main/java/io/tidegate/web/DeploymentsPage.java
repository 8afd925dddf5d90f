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
import io.tidegate.store.DeploymentPage;
import io.tidegate.store.DeploymentResult;
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

    private static final int[] BUCKET_MINUTES = {0, 1, 2, 5, 10, 20, 30};

    static DeploymentsPage build(Header header, Filter f, List<Deployment> recent,
            DeploymentPage history, ZoneId zone, Instant now) {
        List<Deployment> scoped = f.repo().isEmpty() ? recent
                : recent.stream().filter(d -> d.repo().equals(f.repo().get())).toList();
        DeploymentStats stats = DeploymentStats.of(f.environment(), scoped, now, f.days());
        Instant from = now.minus(Duration.ofDays(f.days()));
        List<Deployment> inPeriod = scoped.stream()
                .filter(d -> !d.startedAt().isBefore(from)).toList();
        List<Day> days = days(inPeriod, zone, now, f.days());
        List<Bucket> buckets = buckets(inPeriod);
        List<Deployment> failures = inPeriod.stream()
                .filter(d -> d.result() == DeploymentResult.FAILED
                        || d.result() == DeploymentResult.UNKNOWN)
                .limit(10).toList();
        return new DeploymentsPage(header, f, stats, days,
                days.stream().mapToInt(Day::total).max().orElse(0), buckets,
                buckets.stream().mapToInt(Bucket::count).max().orElse(0), failures,
                history.items(), history.nextCursor());
    }

    private static List<Day> days(List<Deployment> ds, ZoneId zone, Instant now, int n) {
        LocalDate last = LocalDate.ofInstant(now, zone);
        LocalDate first = last.minusDays(n - 1L);
        int[][] counts = new int[n][3];
        for (Deployment d : ds) {
            LocalDate day = LocalDate.ofInstant(d.startedAt(), zone);
            int i = (int) (day.toEpochDay() - first.toEpochDay());
            if (i < 0 || i >= n) {
                continue;
            }
            if (d.result() == DeploymentResult.SUCCEEDED) {
                counts[i][0]++;
            } else if (d.result() == DeploymentResult.FAILED) {
                counts[i][1]++;
            } else if (d.result() == DeploymentResult.UNKNOWN) {
                counts[i][2]++;
            }
        }
        List<Day> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int known = counts[i][0] + counts[i][1];
            out.add(new Day(first.plusDays(i), counts[i][0], counts[i][1], counts[i][2],
                    known == 0 ? Optional.empty()
                            : Optional.of((int) Math.round(counts[i][0] * 100.0 / known))));
        }
        return out;
    }

    private static List<Bucket> buckets(List<Deployment> ds) {
        int[] counts = new int[BUCKET_MINUTES.length];
        for (Deployment d : ds) {
            d.duration().ifPresent(dur -> {
                long m = dur.toSeconds() / 60;
                int i = BUCKET_MINUTES.length - 1;
                while (m < BUCKET_MINUTES[i]) {
                    i--;
                }
                counts[i]++;
            });
        }
        List<Bucket> out = new ArrayList<>();
        for (int i = 0; i < BUCKET_MINUTES.length; i++) {
            String label = i == BUCKET_MINUTES.length - 1 ? "≥ " + BUCKET_MINUTES[i] + " min"
                    : BUCKET_MINUTES[i] + "–" + BUCKET_MINUTES[i + 1] + " min";
            out.add(new Bucket(label, counts[i]));
        }
        return out;
    }
}
