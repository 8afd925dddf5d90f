package io.tidegate.store;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Deployment counts computed where the rows are (the dashboard's charts and statistics), so a
 * month of thousands of deployments costs a few aggregate rows, not thousands of records.
 * Safe for concurrent use.
 */
public interface DeploymentFigures {
    /**
     * Per result, deployments started in {@code [from, until]} in the environment and repo
     * (each when given): how many, and the summed duration of those with a known duration.
     */
    List<Count> counts(Scope scope, Instant from, Instant until);

    /**
     * Per local day ({@code offsetSeconds} east of UTC) and result: how many started.
     */
    List<DayCount> perDay(Scope scope, Instant from, Instant until, int offsetSeconds);

    /** How many succeeded or failed deployments took under each bound, then the rest. */
    int[] durationHistogram(Scope scope, Instant from, Instant until, Duration[] bounds);

    /** Which deployments: one environment and one repo, each optional. */
    record Scope(Optional<String> environment, Optional<String> repo) {
        public Scope {
            Objects.requireNonNull(environment, "environment == null");
            Objects.requireNonNull(repo, "repo == null");
        }
    }

    record Count(DeploymentStatus result, int count, long durationMillis) {}

    record DayCount(long epochDay, DeploymentStatus result, int count) {}

    /** The same figures from records in memory (DynamoDB reads them; tests compare). */
    static DeploymentFigures of(java.util.function.Function<Scope, List<Deployment>> read) {
        return new DeploymentFigures() {
            @Override
            public List<Count> counts(Scope s, Instant from, Instant until) {
                List<Count> out = new ArrayList<>();
                for (DeploymentStatus r : DeploymentStatus.values()) {
                    List<Deployment> in = within(read.apply(s), s, from, until).stream()
                            .filter(d -> d.result() == r).toList();
                    if (!in.isEmpty()) {
                        out.add(new Count(r, in.size(), in.stream().flatMap(d -> d.duration()
                                .stream()).mapToLong(Duration::toMillis).sum()));
                    }
                }
                return out;
            }

            @Override
            public List<DayCount> perDay(Scope s, Instant from, Instant until, int offset) {
                java.util.Map<String, Integer> m = new java.util.TreeMap<>();
                for (Deployment d : within(read.apply(s), s, from, until)) {
                    long day = Math.floorDiv(d.startedAt().getEpochSecond() + offset, 86400);
                    m.merge(day + ":" + d.result().name(), 1, Integer::sum);
                }
                List<DayCount> out = new ArrayList<>();
                m.forEach((k, v) -> out.add(new DayCount(Long.parseLong(k.split(":")[0]),
                        DeploymentStatus.valueOf(k.split(":")[1]), v)));
                return out;
            }

            @Override
            public int[] durationHistogram(Scope s, Instant from, Instant until,
                    Duration[] bounds) {
                int[] out = new int[bounds.length + 1];
                for (Deployment d : within(read.apply(s), s, from, until)) {
                    d.duration().ifPresent(x -> {
                        int i = 0;
                        while (i < bounds.length && x.compareTo(bounds[i]) >= 0) {
                            i++;
                        }
                        out[i]++;
                    });
                }
                return out;
            }
        };
    }

    private static List<Deployment> within(List<Deployment> all, Scope s, Instant from,
            Instant until) {
        return all.stream().filter(d -> !d.startedAt().isBefore(from)
                && !d.startedAt().isAfter(until)
                && s.repo().map(d.repo()::equals).orElse(true)).toList();
    }
}
