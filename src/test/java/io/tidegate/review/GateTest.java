package io.tidegate.review;

import static io.tidegate.review.ReviewFixture.MONDAY_10_KST;
import static io.tidegate.review.ReviewFixture.OTHER_SHA;
import static io.tidegate.review.ReviewFixture.PROD;
import static io.tidegate.review.ReviewFixture.SHA;
import static io.tidegate.review.ReviewFixture.apply;
import static io.tidegate.review.ReviewFixture.plan;
import static io.tidegate.review.ReviewFixture.report;
import static io.tidegate.review.ReviewFixture.snapshot;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import io.tidegate.atlantis.GateAnswer;
import io.tidegate.atlantis.GateRequest;
import io.tidegate.decision.Command;
import io.tidegate.notify.NotificationEvent;
import io.tidegate.store.AuditRecord;
import io.tidegate.store.AuditStore;
import io.tidegate.store.Deployment;
import io.tidegate.store.DeploymentQuery;
import io.tidegate.store.DeploymentStatus;
import io.tidegate.store.HeldLock;
import io.tidegate.store.StoreException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GateTest {
    @TempDir
    Path dir;

    private ReviewFixture f;
    private Gate gate;

    @BeforeEach
    void start() throws Exception {
        f = new ReviewFixture(dir);
        gate = new Gate(f.parts());
    }

    @AfterEach
    void stop() {
        f.close();
    }

    private List<Deployment> deployments() {
        return f.store.deployments().list(new DeploymentQuery(Optional.empty(), Optional.empty(),
                10, Optional.empty())).items();
    }

    private AuditRecord lastAudit() {
        return f.store.audit().forPullRequest("acme/infra", 42, 1).get(0);
    }

    @Test
    void approvedApplyInTheWindowIsAllowedTakesTheLockAndStartsARunningDeployment() {
        GateAnswer answer = gate.decide(apply("lead1"));

        assertThat(answer).isEqualTo(new GateAnswer.Allow(
                "prod-environment: apply allowed in production\n"
                + "approved by lead1, cto1\n"
                + "lock: production held by acme/infra#42 until 2026-11-23T01:30:00Z"
                + " (released when Atlantis reports the result)\n"
                + "Details: https://github.com/acme/infra/pull/42"));
        assertThat(f.store.locks().current("production", MONDAY_10_KST))
                .map(HeldLock::owner).contains("acme/infra#42");
        assertThat(deployments()).singleElement().satisfies(d -> {
            assertThat(d.result()).isEqualTo(DeploymentStatus.RUNNING);
            assertThat(d.environment()).isEqualTo("production");
            assertThat(d.actor()).isEqualTo("lead1");
            assertThat(d.commitSha()).isEqualTo(SHA);
            assertThat(d.project()).isEqualTo("prod-environment");
        });
        AuditRecord audit = lastAudit();
        assertThat(audit.decision()).isEqualTo("allow");
        assertThat(audit.reasonCodes()).isEmpty();
        assertThat(audit.policyHash()).isEqualTo("sha256:" + f.policy.sha256());
        assertThat(f.decisions("production", "allow", "none")).isEqualTo(1.0);
        assertThat(f.registry.find("tidegate.gate.latency").timer().count()).isEqualTo(1);
    }

    @Test
    void samePullRequestMayTakeItsOwnLockAgain() {
        gate.decide(apply("lead1"));
        f.clock.advance(Duration.ofMinutes(5));

        assertThat(gate.decide(apply("cto1"))).isInstanceOf(GateAnswer.Allow.class);
        assertThat(deployments()).hasSize(2);
    }

    @Test
    void lockTakenByAnotherPullRequestSinceTheFactsWereReadDeniesNamingTheHolder() {
        // The snapshot saw no lock; PR 7 took it a moment later: the store's answer wins.
        f.store.locks().acquire("production", "acme/infra#7", MONDAY_10_KST,
                Duration.ofMinutes(30));

        GateAnswer answer = gate.decide(apply("lead1"));

        assertThat(answer).isInstanceOf(GateAnswer.Deny.class);
        assertThat(answer.text()).contains("- lock-held: production is locked by acme/infra#7"
                + " (an apply in progress) until 2026-11-23T01:30:00Z\n"
                + "  to unblock: wait for acme/infra#7's apply to finish, then comment"
                + " atlantis apply again");
        assertThat(deployments()).isEmpty();
        assertThat(lastAudit().reasonCodes()).containsExactly("lock-held");
        assertThat(f.decisions("production", "deny", "lock-held")).isEqualTo(1.0);
    }

    @Test
    void applyWithoutACommenterIsDeniedWithoutGatheringFacts() {
        GateAnswer answer = gate.decide(apply(""));

        assertThat(answer).isEqualTo(new GateAnswer.Deny("prod-environment: apply denied\n"
                + "- actor-unknown: the apply has no user (USER_NAME is empty: started through"
                + " Atlantis's API), so nobody can be judged\n"
                + "  to unblock: comment atlantis apply on the pull request\n"
                + "Details: https://github.com/acme/infra/pull/42"));
        assertThat(f.snapshots.get()).isZero();
        assertThat(lastAudit().reasonCodes()).containsExactly("actor-unknown");
        assertThat(f.decisions("production", "deny", "actor-unknown")).isEqualTo(1.0);
    }

    @Test
    void factsThatCannotBeGatheredDenySayingSo() {
        f.unavailable = "facts of acme/infra#42 could not be gathered from GitHub: timeout";

        GateAnswer answer = gate.decide(apply("lead1"));

        assertThat(answer.httpStatus()).isEqualTo(403);
        assertThat(answer.text()).startsWith("prod-environment: apply denied\n"
                + "- facts-unavailable: the facts could not be gathered: facts of acme/infra#42"
                + " could not be gathered from GitHub: timeout\n");
        AuditRecord audit = lastAudit();
        assertThat(audit.decision()).isEqualTo("deny");
        assertThat(audit.factsJson()).contains("\"refused\":\"the facts could not be"
                + " gathered");
        assertThat(deployments()).isEmpty();
    }

    @Test
    void applyOfACommitThatIsNoLongerTheHeadIsDenied() {
        f.snapshot = snapshot(42, OTHER_SHA, List.of());

        GateAnswer answer = gate.decide(apply("lead1"));

        assertThat(answer.text()).contains("- head-moved: Atlantis applies commit " + SHA
                + " but the pull request's head is now " + OTHER_SHA);
        assertThat(f.store.locks().current("production", MONDAY_10_KST)).isEmpty();
    }

    /**
     * Atlantis v0.47 runs an autoplan as the sender of the pull_request event
     * (server/events/event_parser.go, ParseGithubPullEvent: Sender.GetLogin()): here intern1
     * pushed to dev1's production PR. intern1 may not plan production, whoever the author is.
     */
    @Test
    void autoplanIsJudgedAsTheLoginThatTriggeredItNotThePullRequestAuthor() {
        GateAnswer answer = gate.decide(plan("intern1"));

        assertThat(answer).isEqualTo(new GateAnswer.Deny(
                "prod-environment: plan denied in production\n"
                + "- actor-not-allowed: intern1 may not plan in production: it takes role"
                + " senior-developers, devops, devops-lead or cto (intern1 has developers)\n"
                + "  to unblock: ask someone with role senior-developers, devops, devops-lead"
                + " or cto to run atlantis plan\n"
                + "note: this plan was run for intern1 (Atlantis's USER_NAME: who commented, or"
                + " for an autoplan who opened, pushed to or updated the pull request, bots"
                + " included); someone allowed to plan in production can comment atlantis plan"
                + " to plan this commit\n"
                + "Details: https://github.com/acme/infra/pull/42"));
        assertThat(lastAudit().actor()).isEqualTo("intern1");
        assertThat(f.snapshots.get()).isEqualTo(1);
    }

    @Test
    void denyBotTriggeredAutoplanWhenNoRoleNamesTheBot() {
        GateAnswer answer = gate.decide(plan("renovate[bot]"));

        assertThat(answer.text()).contains("- actor-not-allowed: renovate[bot] may not plan in"
                + " production", "note: this plan was run for renovate[bot]");
        assertThat(lastAudit().actor()).isEqualTo("renovate[bot]");
    }

    @Test
    void botTriggeredAutoplanIsJudgedAsTheBotAndAllowedWhenARoleNamesIt() throws Exception {
        String text = java.nio.file.Files.readString(Path.of("policies/policy.yaml"))
                .replace("  senior-developers: { teams: [acme/senior-developers] }",
                        "  senior-developers: { teams: [acme/senior-developers], users:"
                        + " [\"renovate[bot]\"] }");
        Gate withBot = new Gate(f.parts(io.tidegate.policy.PolicyParser.parse(text,
                "policy.yaml")));

        assertThat(withBot.decide(plan("renovate[bot]"))).isInstanceOf(GateAnswer.Allow.class);
        assertThat(lastAudit().actor()).isEqualTo("renovate[bot]");
        assertThat(lastAudit().command()).isEqualTo("plan");
    }

    @Test
    void planWithoutAUserIsActorUnknown() {
        GateAnswer answer = gate.decide(plan(""));

        assertThat(answer).isEqualTo(new GateAnswer.Deny("prod-environment: plan denied\n"
                + "- actor-unknown: the plan has no user (USER_NAME is empty: started through"
                + " Atlantis's API), so nobody can be judged\n"
                + "  to unblock: comment atlantis plan on the pull request\n"
                + "Details: https://github.com/acme/infra/pull/42"));
        assertThat(f.snapshots.get()).isZero();
    }

    @Test
    void importIsJudgedAsAnApplyRecordedAsImportAndTakesNoLock() {
        GateRequest request = new GateRequest(io.tidegate.atlantis.Stage.IMPORT,
                ReviewFixture.context(42, SHA, PROD, "lead1"));

        GateAnswer answer = gate.decide(request);

        assertThat(answer).isEqualTo(new GateAnswer.Allow(
                "prod-environment: import allowed in production\n"
                + "approved by lead1, cto1\n"
                + "Details: https://github.com/acme/infra/pull/42"));
        assertThat(lastAudit().command()).isEqualTo("import");
        assertThat(deployments()).isEmpty();
        assertThat(f.store.locks().current("production", MONDAY_10_KST)).isEmpty();
    }

    @Test
    void stateRmBySomeoneWhoMayNotApplyIsDeniedAndRecordedAsStateRm() {
        GateRequest request = new GateRequest(io.tidegate.atlantis.Stage.STATE_RM,
                ReviewFixture.context(42, SHA, PROD, "intern1"));

        GateAnswer answer = gate.decide(request);

        assertThat(answer.text()).startsWith("prod-environment: state_rm denied in production\n"
                + "- actor-not-allowed: intern1 may not apply in production");
        assertThat(lastAudit().command()).isEqualTo("state_rm");
        assertThat(lastAudit().decision()).isEqualTo("deny");
    }

    @Test
    void stateRmIsDeniedWhileAnotherPullRequestHoldsTheLock() {
        f.snapshot = snapshot(42, SHA, List.of(report(PROD, "40.56", "81.12")),
                List.of(new io.tidegate.decision.Lock("production", "acme/infra#7")));

        GateAnswer answer = gate.decide(new GateRequest(io.tidegate.atlantis.Stage.STATE_RM,
                ReviewFixture.context(42, SHA, PROD, "lead1")));

        assertThat(answer).isInstanceOf(GateAnswer.Deny.class);
        assertThat(lastAudit().reasonCodes()).contains("lock-held");
    }

    @Test
    void slowGitHubDeniesFactsUnavailableNamingGitHubAsSlow() {
        f.unavailableCause = new io.tidegate.github.GitHubException("read pull request"
                + " acme/infra#42", io.tidegate.github.GitHubException.Failure.TIMEOUT,
                "timed out: the time budget for GitHub was spent before GitHub answered", null);
        f.unavailable = "facts of acme/infra#42 could not be gathered from GitHub: timed out";

        GateAnswer answer = new Gate(f.parts(), Duration.ofSeconds(12)).decide(apply("lead1"));

        assertThat(answer.text()).startsWith("prod-environment: apply denied\n"
                + "- facts-unavailable: GitHub is slow: it did not answer within the 12 s"
                + " Tidegate may wait for it during a gate call (facts of acme/infra#42 could"
                + " not be gathered from GitHub: timed out)\n");
    }

    @Test
    void applyByTheBotUserIsJudgedOnTheBotNotTheAuthor() {
        GateAnswer answer = gate.decide(apply("atlantis"));

        assertThat(answer.text()).contains("- actor-not-allowed: atlantis may not apply");
        assertThat(lastAudit().actor()).isEqualTo("atlantis");
    }

    @Test
    void denyWaitingOnlyOnApprovalsAsksTheApprovers() {
        f.snapshot = new PullRequestSnapshot(f.snapshot.pullRequest(),
                f.snapshot.reviews().subList(0, 1), f.snapshot.teams(), f.snapshot.reports(),
                List.of(), List.of());

        GateAnswer answer = gate.decide(apply("lead1"));

        assertThat(answer.text()).contains("- approvals-missing: ");
        assertThat(f.published()).singleElement().isInstanceOfSatisfying(
                NotificationEvent.ApplyRequested.class, e -> {
                    assertThat(e.environment()).isEqualTo("production");
                    assertThat(e.actor()).isEqualTo("lead1");
                    assertThat(e.approvers()).containsExactly("lead1");
                    assertThat(e.waitingFor()).contains("1 more approval");
                    assertThat(e.pullRequest().key()).isEqualTo("acme/infra#42");
                    assertThat(e.pullRequest().title()).isEqualTo("Add instances");
                    assertThat(e.cost().monthlyIncrease()).contains(new BigDecimal("40.56"));
                });
    }

    @Test
    void denyByAFreezeSaysSo() {
        f.clock.set(Instant.parse("2026-12-24T01:00:00Z")); // Thursday, Christmas Eve

        gate.decide(apply("lead1"));

        assertThat(f.published()).singleElement().isInstanceOfSatisfying(
                NotificationEvent.FreezeBlocked.class,
                e -> assertThat(e.why()).contains("Christmas"));
    }

    @Test
    void allowAboveTheBudgetsWarningShareWarns() {
        // 1600 of 2000 is above production's 75 % warning share.
        f.snapshot = snapshot(42, SHA, List.of(report(PROD, "40", "1600")));

        GateAnswer answer = gate.decide(apply("lead1"));
        assertThat(answer).isInstanceOf(GateAnswer.Allow.class);
        // a note is listed apart from what blocks, under its own heading
        assertThat(answer.text()).contains("\nNotes (they do not block):\n- budget-warning: the "
                + "new monthly total $1,600.00 of production is above 75% of its budget of "
                + "$2,000.00\nDetails: ");

        assertThat(f.published()).singleElement().isInstanceOfSatisfying(
                NotificationEvent.BudgetWarning.class, e -> {
                    assertThat(e.projectedMonthly()).isEqualByComparingTo("1600");
                    assertThat(e.budget()).isEqualByComparingTo("2000");
                    assertThat(e.alertPercent()).isEqualTo(75);
                });
        assertThat(f.decisions("production", "allow", "budget-warning")).isEqualTo(1.0);
    }

    @Test
    void anAllowThatCannotBeRecordedGivesTheLockBackAndFails() {
        Gate unrecorded = new Gate(f.parts(new BrokenAudit()));

        assertThatThrownBy(() -> unrecorded.decide(apply("lead1")))
                .isInstanceOf(StoreException.class);
        assertThat(f.store.locks().current("production", MONDAY_10_KST)).isEmpty();
        assertThat(deployments()).isEmpty();
    }

    @Test
    void anUnrecordedAllowKeepsALockThePullRequestAlreadyHeld() {
        gate.decide(apply("lead1"));
        f.clock.advance(Duration.ofMinutes(1));
        Gate unrecorded = new Gate(f.parts(new BrokenAudit()));

        assertThatThrownBy(() -> unrecorded.decide(apply("cto1")))
                .isInstanceOf(StoreException.class);
        assertThat(f.store.locks().current("production", f.clock.instant()))
                .map(HeldLock::owner).contains("acme/infra#42");
    }

    /** An audit store whose writes fail, as a full disk or a throttled table would. */
    private static final class BrokenAudit implements AuditStore {
        @Override
        public void append(AuditRecord record) {
            throw new StoreException("disk full", null);
        }

        @Override
        public List<AuditRecord> forRepository(String repo, int limit) {
            return List.of();
        }

        @Override
        public List<AuditRecord> forPullRequest(String repo, int pr, int limit) {
            return List.of();
        }
    }

    @Test
    void planIsRecordedButStartsNoDeployment() {
        GateRequest request = new GateRequest(Command.PLAN,
                ReviewFixture.context(42, SHA, PROD, "dev1"));

        assertThat(gate.decide(request)).isInstanceOf(GateAnswer.Allow.class);
        assertThat(deployments()).isEmpty();
        assertThat(f.store.locks().current("production", MONDAY_10_KST)).isEmpty();
        assertThat(f.decisions("production", "allow", "none")).isEqualTo(1.0);
    }
}
