package io.tidegate.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class DeploymentStatsTest {
    static final Instant NOW = Instant.parse("2026-11-20T12:00:00Z");

    static Deployment finished(String id, Instant start, Duration took, boolean ok) {
        return new Deployment(id, "acme/infra", 1, "abc", "network", "production", "alice",
                start, Optional.empty(), DeploymentStatus.RUNNING).finish(start.plus(took), ok);
    }

    @Test
    void seedExampleFortyThreeOfFortyFiveSucceededIsNinetyFivePointFiftySixPercent() {
        List<Deployment> ds = new ArrayList<>();
        for (int i = 0; i < 45; i++) {
            ds.add(finished("d" + i, NOW.minus(Duration.ofDays(20)).plusSeconds(i),
                    Duration.ofSeconds(180), i >= 2));
        }
        DeploymentStats s = DeploymentStats.of(Optional.of("production"), ds, NOW, 30);
        assertThat(s.stats()).isEqualTo(new DeploymentStats.Period(45, 43, 2, 0, 0,
                Optional.of(new BigDecimal("95.56")), Optional.of(Duration.ofSeconds(180))));
        assertThat(s.last7Days().total()).isZero();
        assertThat(s.toJson().get("stats")).isEqualTo(Map.of("totalDeployments", 45,
                "successfulDeployments", 43, "failedDeployments", 2, "runningDeployments", 0,
                "unknownDeployments", 0, "successRate", new BigDecimal("95.56"), "averageDuration", 180L));
    }

    @Test
    void periodsCountOnlyDeploymentsStartedWithinThem() {
        List<Deployment> ds = List.of(
                finished("a", NOW.minus(Duration.ofDays(3)), Duration.ofSeconds(60), true),
                finished("b", NOW.minus(Duration.ofDays(10)), Duration.ofSeconds(120), false),
                finished("c", NOW.minus(Duration.ofDays(40)), Duration.ofSeconds(60), true));
        DeploymentStats s = DeploymentStats.of(Optional.empty(), ds, NOW, 60);
        assertThat(s.last7Days()).isEqualTo(new DeploymentStats.Period(1, 1, 0, 0, 0,
                Optional.of(new BigDecimal("100.00")), Optional.of(Duration.ofSeconds(60))));
        assertThat(s.last30Days()).isEqualTo(new DeploymentStats.Period(2, 1, 1, 0, 0,
                Optional.of(new BigDecimal("50.00")), Optional.of(Duration.ofSeconds(90))));
        assertThat(s.stats().total()).isEqualTo(3);
    }

    @Test
    void runningDeploymentsAreReportedApartAndAnEmptyPeriodHasNoRate() {
        Deployment running = new Deployment("r", "acme/infra", 1, "abc", "network",
                "production", "alice", NOW.minusSeconds(30), Optional.empty(),
                DeploymentStatus.RUNNING);
        DeploymentStats s = DeploymentStats.of(Optional.empty(), List.of(running), NOW, 30);
        assertThat(s.stats()).isEqualTo(new DeploymentStats.Period(0, 0, 0, 1, 0, Optional.empty(),
                Optional.empty()));
    }

    @Test
    void unknownResultsAreCountedApartNeverAsSuccessesNorInTheAverage() {
        Deployment lost = new Deployment("u", "acme/infra", 1, "abc", "network", "production",
                "alice", NOW.minus(Duration.ofHours(2)), Optional.empty(),
                DeploymentStatus.RUNNING).unknown(NOW.minus(Duration.ofMinutes(85)));
        List<Deployment> ds = List.of(lost,
                finished("ok", NOW.minus(Duration.ofDays(1)), Duration.ofSeconds(100), true),
                finished("bad", NOW.minus(Duration.ofDays(2)), Duration.ofSeconds(300), false));
        DeploymentStats s = DeploymentStats.of(Optional.empty(), ds, NOW, 30);
        assertThat(s.stats()).isEqualTo(new DeploymentStats.Period(2, 1, 1, 0, 1,
                Optional.of(new BigDecimal("50.00")), Optional.of(Duration.ofSeconds(200))));
        assertThat(s.toJson().get("stats")).isEqualTo(Map.of("totalDeployments", 2,
                "successfulDeployments", 1, "failedDeployments", 1, "runningDeployments", 0,
                "unknownDeployments", 1, "successRate", new BigDecimal("50.00"),
                "averageDuration", 200L));
    }

    @Test
    void periodOfOnlyUnknownResultsHasNoRateAndNoAverage() {
        Deployment lost = new Deployment("u", "acme/infra", 1, "abc", "network", "production",
                "alice", NOW.minus(Duration.ofHours(2)), Optional.empty(),
                DeploymentStatus.RUNNING).unknown(NOW.minus(Duration.ofMinutes(85)));
        DeploymentStats s = DeploymentStats.of(Optional.empty(), List.of(lost), NOW, 7);
        assertThat(s.stats()).isEqualTo(new DeploymentStats.Period(0, 0, 0, 0, 1,
                Optional.empty(), Optional.empty()));
        assertThat(DeploymentStats.json(lost)).containsEntry("result", "unknown")
                .containsEntry("finishedAt", "2026-11-20T10:35:00Z")
                .containsEntry("durationSeconds", null);
    }
}
