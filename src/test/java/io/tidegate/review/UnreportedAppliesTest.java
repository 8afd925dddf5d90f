package io.tidegate.review;

import static io.tidegate.review.ReviewFixture.MONDAY_10_KST;
import static io.tidegate.review.ReviewFixture.SHA;
import static io.tidegate.review.ReviewFixture.apply;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import io.tidegate.notify.NotificationEvent;
import io.tidegate.store.Deployment;
import io.tidegate.store.DeploymentStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UnreportedAppliesTest {
    @TempDir
    Path dir;

    private ReviewFixture f;
    private Gate gate;
    private UnreportedApplies sweep;

    @BeforeEach
    void start() throws Exception {
        f = new ReviewFixture(dir);
        gate = new Gate(f.parts());
        sweep = new UnreportedApplies(f.parts());
    }

    @AfterEach
    void stop() {
        f.close();
    }

    private Deployment stored(String id) {
        return f.store.deployments().get(id).orElseThrow();
    }

    private Deployment onlyDeployment() {
        return f.store.deployments().startedSince(Optional.empty(), MONDAY_10_KST).get(0);
    }

    /** A deployment as the gate starts it, in an environment and at a start of our choosing. */
    private Deployment running(String id, String environment, Instant start) {
        Deployment d = new Deployment(id, "acme/infra", 42, SHA, "prod-environment",
                environment, "lead1", start, Optional.empty(), DeploymentStatus.RUNNING);
        f.store.deployments().save(d);
        return d;
    }

    private double unreported(String environment) {
        var c = f.registry.find("tidegate.deployments.unreported")
                .tag("environment", environment).counter();
        return c == null ? 0 : c.count();
    }

    @Test
    void applyStillRunningOneLockTtlAfterItsStartEndsUnknownAtTheEndOfItsWait() {
        gate.decide(apply("lead1"));
        f.clock.advance(Duration.ofMinutes(29).plusSeconds(59));
        assertThat(sweep.sweep()).isZero();
        f.clock.advance(Duration.ofMinutes(7));

        assertThat(sweep.sweep()).isEqualTo(1);

        Deployment d = onlyDeployment();
        assertThat(d.result()).isEqualTo(DeploymentStatus.UNKNOWN);
        // policy.yaml: production's lock.ttl is 30m
        assertThat(d.finishedAt()).contains(MONDAY_10_KST.plus(Duration.ofMinutes(30)));
        assertThat(d.duration()).isEmpty();
        assertThat(unreported("production")).isEqualTo(1.0);
        assertThat(f.registry.find("tidegate.deployments").counter()).isNull();
    }

    @Test
    void endedApplyIsAnnouncedOnceToTheFailureRouteWithThePullRequestsTitle() {
        gate.decide(apply("lead1"));
        f.published.clear();
        f.clock.advance(Duration.ofMinutes(31));

        sweep.sweep();
        sweep.sweep();

        assertThat(f.published()).singleElement().isInstanceOfSatisfying(
                NotificationEvent.ApplyResultMissing.class, e -> {
                    assertThat(e.type().key()).isEqualTo("apply_failed");
                    assertThat(e.environment()).isEqualTo("production");
                    assertThat(e.pullRequest().title()).isEqualTo("Add instances");
                    assertThat(e.pullRequest().author()).isEqualTo("dev1");
                    assertThat(e.project().label()).isEqualTo("prod-environment");
                    assertThat(e.actor()).isEqualTo("lead1");
                    assertThat(e.startedAt()).isEqualTo(MONDAY_10_KST);
                    assertThat(e.waited()).isEqualTo(Duration.ofMinutes(30));
                });
    }

    @Test
    void applyIsStillEndedAndAnnouncedWhenGitHubCannotBeRead() {
        gate.decide(apply("lead1"));
        f.published.clear();
        f.unavailable = "GitHub is down";
        f.clock.advance(Duration.ofMinutes(31));

        assertThat(sweep.sweep()).isEqualTo(1);

        assertThat(onlyDeployment().result()).isEqualTo(DeploymentStatus.UNKNOWN);
        assertThat(f.published()).singleElement().isInstanceOfSatisfying(
                NotificationEvent.ApplyResultMissing.class,
                e -> assertThat(e.pullRequest().title()).isEmpty());
    }

    @Test
    void environmentWithoutALockWaitsTheDefaultThirtyMinutes() {
        running("sandbox", "sandbox", MONDAY_10_KST);
        running("none", "none", MONDAY_10_KST.plus(Duration.ofMinutes(5)));
        f.clock.advance(Duration.ofMinutes(30));

        assertThat(sweep.sweep()).isEqualTo(1);

        assertThat(stored("sandbox").result()).isEqualTo(DeploymentStatus.UNKNOWN);
        assertThat(stored("none").result()).isEqualTo(DeploymentStatus.RUNNING);
    }

    @Test
    void finishedAndAlreadyUnknownDeploymentsAreLeftAlone() {
        f.store.deployments().save(running("ok", "production", MONDAY_10_KST)
                .finish(MONDAY_10_KST.plusSeconds(60), true));
        f.clock.advance(Duration.ofHours(2));
        running("lost", "production", MONDAY_10_KST.plusSeconds(1));
        assertThat(sweep.sweep()).isEqualTo(1);
        f.published.clear();

        assertThat(sweep.sweep()).isZero();

        assertThat(stored("ok").result()).isEqualTo(DeploymentStatus.SUCCEEDED);
        assertThat(stored("lost").result()).isEqualTo(DeploymentStatus.UNKNOWN);
        assertThat(f.published()).isEmpty();
    }

    @Test
    void firstSweepAfterAStartAlsoEndsRecordsOlderThanTheUsualLookBack() {
        running("legacy", "production", MONDAY_10_KST.minus(Duration.ofDays(40)));

        assertThat(sweep.sweep()).isEqualTo(1);

        assertThat(stored("legacy").result()).isEqualTo(DeploymentStatus.UNKNOWN);
        assertThat(stored("legacy").finishedAt()).contains(MONDAY_10_KST
                .minus(Duration.ofDays(40)).plus(Duration.ofMinutes(30)));
        // weeks-old losses are counted and logged, not paged one by one
        assertThat(f.published()).isEmpty();
        assertThat(unreported("production")).isEqualTo(1.0);
    }

    @Test
    void lockOfTheLostApplyIsLeftToItsTtl() {
        gate.decide(apply("lead1"));
        f.clock.advance(Duration.ofMinutes(31));

        sweep.sweep();

        // the lock lapsed by itself; the sweep wrote nothing to the lock table
        assertThat(f.store.locks().current("production", f.clock.instant())).isEmpty();
        assertThat(f.store.locks().held(MONDAY_10_KST)).singleElement()
                .satisfies(l -> assertThat(l.owner()).isEqualTo("acme/infra#42"));
    }
}
