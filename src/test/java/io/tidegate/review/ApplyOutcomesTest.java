package io.tidegate.review;

import static io.tidegate.review.ReviewFixture.MONDAY_10_KST;
import static io.tidegate.review.ReviewFixture.OTHER_SHA;
import static io.tidegate.review.ReviewFixture.PROD;
import static io.tidegate.review.ReviewFixture.SHA;
import static io.tidegate.review.ReviewFixture.apply;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import io.tidegate.atlantis.ApplyResult;
import io.tidegate.atlantis.PullInfo;
import io.tidegate.atlantis.Repository;
import io.tidegate.decision.ProjectRef;
import io.tidegate.notify.DeliveryOutcome;
import io.tidegate.notify.DeploymentMetrics;
import io.tidegate.notify.FinishedDeployment;
import io.tidegate.notify.NotificationEvent;
import io.tidegate.store.Deployment;
import io.tidegate.store.DeploymentQuery;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApplyOutcomesTest {
    @TempDir
    Path dir;

    private ReviewFixture f;
    private Gate gate;
    private ApplyOutcomes outcomes;
    private final List<FinishedDeployment> sent = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        f = new ReviewFixture(dir);
        gate = new Gate(f.parts());
        DeploymentMetrics metrics = (results, key) -> {
            sent.addAll(results);
            return DeliveryOutcome.DELIVERED;
        };
        outcomes = new ApplyOutcomes(f.parts(), metrics, f.store.costReports(),
                new AuditEvents(f.store.audit(), f.store.policyVersions()));
    }

    @AfterEach
    void stop() {
        f.close();
    }

    private static ApplyResult result(boolean success) {
        return new ApplyResult(new Repository("acme", "infra"), new PullInfo(42, "dev1",
                "https://github.com/acme/infra/pull/42", "feature/infra-x", "main", SHA), PROD,
                "lead1", success);
    }

    private Deployment only() {
        return f.store.deployments().list(new DeploymentQuery(Optional.empty(), Optional.empty(),
                10, Optional.empty())).items().get(0);
    }

    @Test
    void successEndsTheDeploymentReleasesTheLockCountsAndAnnounces() {
        f.store.costReports().put(new io.tidegate.store.CostReport("acme/infra", 42, SHA, PROD,
                new io.tidegate.decision.CostChange(Optional.of(new java.math.BigDecimal("40.56")),
                        Optional.of(new java.math.BigDecimal("81.12"))),
                io.tidegate.decision.PlanChange.EMPTY, MONDAY_10_KST));
        gate.decide(apply("lead1"));
        f.clock.advance(Duration.ofSeconds(95));
        int snapshotsBefore = f.snapshots.get();

        String note = outcomes.record(result(true));

        Deployment d = only();
        assertThat(note).isEqualTo("deployment " + d.id() + " succeeded after 95s; lock on"
                + " production released");
        assertThat(d.duration()).contains(Duration.ofSeconds(95));
        assertThat(f.store.locks().current("production", f.clock.instant())).isEmpty();
        assertThat(sent).containsExactly(new FinishedDeployment("production", true,
                Optional.of(Duration.ofSeconds(95)), MONDAY_10_KST.plusSeconds(95)));
        assertThat(f.registry.find("tidegate.deployments").tag("result", "succeeded")
                .counter().count()).isEqualTo(1.0);
        assertThat(f.registry.find("tidegate.deployment.duration").timer().totalTime(
                java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(95.0);
        assertThat(f.published()).last().isInstanceOfSatisfying(
                NotificationEvent.ApplyCompleted.class, e -> {
                    assertThat(e.actor()).isEqualTo("lead1");
                    // the approvals of the applied commit, as the gate's allow recorded them
                    assertThat(e.approvers()).containsExactly("lead1", "cto1");
                    assertThat(e.duration()).contains(Duration.ofSeconds(95));
                    assertThat(e.cost().monthlyIncrease()).contains(
                            new java.math.BigDecimal("40.56"));
                    // the title the gate read; Atlantis's apply result carries none
                    assertThat(e.pullRequest().title()).isEqualTo("Add instances");
                });
        assertThat(f.snapshots.get()).isEqualTo(snapshotsBefore);
        assertThat(f.reviewRequests).containsExactly("acme/infra#42: apply succeeded");
    }

    @Test
    void failureEndsTheDeploymentAsFailedAndAnnouncesIt() {
        gate.decide(apply("lead1"));

        outcomes.record(result(false));

        assertThat(only().result()).isEqualTo(io.tidegate.store.DeploymentStatus.FAILED);
        assertThat(f.store.locks().current("production", f.clock.instant())).isEmpty();
        assertThat(f.published()).last().isInstanceOf(NotificationEvent.ApplyFailed.class);
        assertThat(sent).singleElement().satisfies(r -> assertThat(r.succeeded()).isFalse());
    }

    /** Atlantis logs this answer: the project's name is PR text, an API run's ref the caller's. */
    @Test
    void theAnswerShowsAHostileProjectNameAndRefInert() {
        ApplyResult api = new ApplyResult(new Repository("acme", "infra"), new PullInfo(-7, "", "",
                "main", "main", "main\u202e`x"), new ProjectRef("p`\u202e @here", ".", "default"),
                "", false);

        assertThat(outcomes.record(api)).isEqualTo("no running deployment for acme/infra#-7"
                + " p\u02CB @\u200Bhere at main\u02CBx: the gate did not allow this apply, nothing"
                + " ended");
    }

    @Test
    void resultOfAnApplyTheGateDeniedEndsNothing() {
        gate.decide(apply("dev1")); // denied: dev1 may not apply in production

        String note = outcomes.record(result(false));

        assertThat(note).isEqualTo("no running deployment for acme/infra#42 prod-environment"
                + " at " + SHA + ": the gate did not allow this apply, nothing ended");
        assertThat(sent).isEmpty();
        assertThat(f.reviewRequests).isEmpty();
        assertThat(f.registry.find("tidegate.deployments").counter()).isNull();
    }

    @Test
    void replayedResultSaysItWasAlreadyRecordedAndChangesNothing() {
        gate.decide(apply("lead1"));
        f.clock.advance(Duration.ofMillis(54_600));
        String first = outcomes.record(result(true));
        f.clock.advance(Duration.ofMinutes(3));

        String replay = outcomes.record(result(true));

        Deployment d = only();
        assertThat(first).isEqualTo("deployment " + d.id() + " succeeded after 55s; lock on"
                + " production released");
        assertThat(replay).isEqualTo("deployment " + d.id() + " already recorded succeeded "
                + "after 55s: this result was recorded before, nothing changed");
        // The reply, the API and the report round the same way.
        assertThat(io.tidegate.store.DeploymentStats.json(d).get("durationSeconds"))
                .isEqualTo(55L);
        assertThat(sent).hasSize(1);
        assertThat(f.registry.find("tidegate.deployments").counter().count()).isEqualTo(1.0);
    }

    /** Atlantis waits for this answer inside the apply, with no client timeout. */
    @Test
    void applyResultNeverAsksGitHub() {
        gate.decide(apply("lead1"));
        f.unavailable = "GitHub is down";
        int snapshotsBefore = f.snapshots.get();

        outcomes.record(result(true));

        assertThat(f.snapshots.get()).isEqualTo(snapshotsBefore);
        assertThat(only().result()).isEqualTo(io.tidegate.store.DeploymentStatus.SUCCEEDED);
        assertThat(f.published()).last().isInstanceOfSatisfying(
                NotificationEvent.ApplyCompleted.class, e -> {
                    assertThat(e.approvers()).containsExactly("lead1", "cto1");
                    assertThat(e.pullRequest().title()).isEqualTo("Add instances");
                    assertThat(e.pullRequest().author()).isEqualTo("dev1");
                });
    }

    @Test
    void resultOfAnotherCommitOrPullRequestEndsNothingAndKeepsTheLock() {
        gate.decide(apply("lead1"));
        ApplyResult otherCommit = new ApplyResult(new Repository("acme", "infra"),
                new PullInfo(42, "dev1", "", "", "main", OTHER_SHA), PROD, "lead1", true);
        ApplyResult otherPull = new ApplyResult(new Repository("acme", "infra"),
                new PullInfo(7, "dev1", "", "", "main", SHA), PROD, "lead1", true);

        assertThat(outcomes.record(otherCommit)).endsWith("nothing ended");
        assertThat(outcomes.record(otherPull)).endsWith("nothing ended");

        assertThat(only().result()).isEqualTo(io.tidegate.store.DeploymentStatus.RUNNING);
        assertThat(f.store.locks().current("production", f.clock.instant()))
                .map(io.tidegate.store.HeldLock::owner).contains("acme/infra#42");
    }

    @Test
    void lostResultIsNeverSentAsASuccessAndALateOneIsCountedOnceAsWhatItWas() {
        gate.decide(apply("lead1"));
        f.clock.advance(Duration.ofMinutes(31));
        new UnreportedApplies(f.parts()).sweep();
        assertThat(sent).isEmpty();
        f.clock.advance(Duration.ofMinutes(9));

        String note = outcomes.record(result(true));

        Deployment d = only();
        // a late result records the outcome but never touches a lock (it lapsed by its TTL)
        assertThat(note).isEqualTo("deployment " + d.id() + " succeeded after 2400s (result "
                + "arrived after it was recorded unknown)");
        assertThat(d.result()).isEqualTo(io.tidegate.store.DeploymentStatus.SUCCEEDED);
        assertThat(sent).containsExactly(new FinishedDeployment("production", true,
                Optional.of(Duration.ofMinutes(40)), MONDAY_10_KST.plus(Duration.ofMinutes(40))));
        assertThat(f.registry.find("tidegate.deployments").tag("result", "succeeded")
                .counter().count()).isEqualTo(1.0);
        assertThat(f.published()).last().isInstanceOf(NotificationEvent.ApplyCompleted.class);
    }
}
