package io.tidegate.store;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Deployment statistics in the shape of seed 001's report: totals, success rate and average
 * duration over a period, plus the last 7 and 30 days. Only deployments with a known outcome
 * count (total, rate, average); running ones and those whose result never came
 * ({@link DeploymentStatus#UNKNOWN}) are reported apart: an unknown apply may well have
 * succeeded, so it is neither a success nor a failure, but its count shows Atlantis losing
 * results. Pure: the caller passes the deployments and "now".
 */
public record DeploymentStats(Optional<String> environment, int days, Instant generatedAt,
        Period stats, Period last7Days, Period last30Days) {
    public DeploymentStats {
        Objects.requireNonNull(environment, "environment == null");
        Objects.requireNonNull(generatedAt, "generatedAt == null");
        Objects.requireNonNull(stats, "stats == null");
        Objects.requireNonNull(last7Days, "last7Days == null");
        Objects.requireNonNull(last30Days, "last30Days == null");
    }

    /** Figures for one period. Rate and average are empty when nothing finished in it. */
    public record Period(int total, int succeeded, int failed, int running, int unknown,
            Optional<BigDecimal> successRatePercent, Optional<Duration> averageDuration) {}

    /** How far back {@link #of} needs deployments for a report over {@code days}. */
    public static Instant needsSince(Instant now, int days) {
        return now.minus(Duration.ofDays(Math.max(days, 30)));
    }

    public static DeploymentStats of(Optional<String> environment, List<Deployment> deployments,
            Instant now, int days) {
        return new DeploymentStats(environment, days, now, period(deployments, now, days),
                period(deployments, now, 7), period(deployments, now, 30));
    }

    private static Period period(List<Deployment> all, Instant now, int days) {
        Instant from = now.minus(Duration.ofDays(days));
        List<Deployment> in = all.stream().filter(d -> !d.startedAt().isBefore(from)
                && !d.startedAt().isAfter(now)).toList();
        int succeeded = count(in, DeploymentStatus.SUCCEEDED);
        int failed = count(in, DeploymentStatus.FAILED);
        int running = count(in, DeploymentStatus.RUNNING);
        int unknown = count(in, DeploymentStatus.UNKNOWN);
        int total = succeeded + failed;
        if (total == 0) {
            return new Period(0, 0, 0, running, unknown, Optional.empty(), Optional.empty());
        }
        BigDecimal rate = BigDecimal.valueOf(succeeded * 100L)
                .divide(BigDecimal.valueOf(total), 2, RoundingMode.HALF_UP);
        long totalMillis = in.stream().flatMap(d -> d.duration().stream())
                .mapToLong(Duration::toMillis).sum();
        return new Period(total, succeeded, failed, running, unknown, Optional.of(rate),
                Optional.of(Duration.ofMillis(totalMillis / total)));
    }

    private static int count(List<Deployment> ds, DeploymentStatus r) {
        return (int) ds.stream().filter(d -> d.result() == r).count();
    }

    /** The JSON body of seed 001's {@code deployment-stats} file; durations in seconds. */
    public Map<String, Object> toJson() {
        Map<String, Object> trends = new LinkedHashMap<>();
        trends.put("last7Days", json(last7Days));
        trends.put("last30Days", json(last30Days));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("environment", environment.orElse(null));
        out.put("days", days);
        out.put("generatedAt", generatedAt.toString());
        out.put("stats", json(stats));
        out.put("recentTrends", trends);
        return out;
    }

    private static Map<String, Object> json(Period p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("totalDeployments", p.total());
        m.put("successfulDeployments", p.succeeded());
        m.put("failedDeployments", p.failed());
        m.put("runningDeployments", p.running());
        m.put("unknownDeployments", p.unknown());
        m.put("successRate", p.successRatePercent().orElse(null));
        m.put("averageDuration", p.averageDuration().map(DeploymentStats::seconds).orElse(null));
        return m;
    }

    /** Whole seconds, rounded half up, as the seed's {@code averageDuration: 180}. */
    public static long seconds(Duration d) {
        return (d.toMillis() + 500) / 1000;
    }

    /** A deployment as the API and the report print it. */
    public static Map<String, Object> json(Deployment d) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", d.id());
        m.put("repo", d.repo());
        m.put("pr", d.pr());
        m.put("commitSha", d.commitSha());
        m.put("project", d.project());
        m.put("environment", d.environment());
        m.put("actor", d.actor());
        m.put("startedAt", d.startedAt().toString());
        m.put("finishedAt", d.finishedAt().map(Instant::toString).orElse(null));
        m.put("result", d.result().word());
        m.put("durationSeconds", d.duration().map(DeploymentStats::seconds).orElse(null));
        return m;
    }
}
