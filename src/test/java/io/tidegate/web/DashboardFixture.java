package io.tidegate.web;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tidegate.wiring.Json;
import io.tidegate.TestClock;
import io.tidegate.decision.Command;
import io.tidegate.decision.CostChange;
import io.tidegate.decision.Decision;
import io.tidegate.decision.DecisionEngine;
import io.tidegate.decision.Lock;
import io.tidegate.decision.Override;
import io.tidegate.decision.PlanChange;
import io.tidegate.decision.ProjectRef;
import io.tidegate.decision.ProjectReport;
import io.tidegate.decision.PullRequest;
import io.tidegate.decision.Review;
import io.tidegate.policy.PolicyParser;
import io.tidegate.policy.PolicySet;
import io.tidegate.review.DecisionRecorder;
import io.tidegate.review.PolicySource;
import io.tidegate.review.PullRequestReview;
import io.tidegate.review.PullRequestSnapshot;
import io.tidegate.review.ReviewBoard;
import io.tidegate.store.Deployment;
import io.tidegate.store.DeploymentStatus;
import io.tidegate.store.SqliteStore;
import io.tidegate.store.Store;

/**
 * A real SQLite store filled as a busy organisation's would be, under the default policy, at
 * Thursday 2026-12-24 10:00 KST (production frozen for Christmas): open PRs reviewed by the real
 * review code (one titled with markup, to prove escaping), an override, a held production lock,
 * a history of deployments and decisions whose facts the real recorder wrote.
 */
final class DashboardFixture implements AutoCloseable {
    /** Thursday 2026-12-24 10:00 KST. */
    static final Instant NOW = Instant.parse("2026-12-24T01:00:00Z");
    static final String HOSTILE_TITLE = "<script>alert('x')</script> & \"quotes\"";
    static final ProjectRef PROD = new ProjectRef("prod-environment", "environments/prod",
            "default");
    static final ProjectRef STAGING = new ProjectRef("staging-environment",
            "environments/staging", "default");
    static final Map<String, Set<String>> TEAMS = Map.of(
            "dev1", Set.of("acme/senior-developers"), "dev2", Set.of("acme/developers"),
            "lead1", Set.of("acme/devops-lead"), "cto1", Set.of("acme/cto"),
            "ops1", Set.of("acme/devops-team"));

    final Store store;
    final PolicySet policy;
    final TestClock clock = new TestClock(NOW);
    final Dashboard dashboard;

    DashboardFixture(Path dir) throws Exception {
        this.store = SqliteStore.openIn(dir);
        this.policy = PolicyParser.parse(Path.of("policies/policy.yaml"));
        this.dashboard = new Dashboard(store, PolicySource.of(policy),
                new Links("https://github.com"), clock);
    }

    /** The default data set: the pages' tests and the browser test. */
    DashboardFixture fill() {
        return fill(400, 600);
    }

    DashboardFixture fill(int deployments, int decisions) {
        reviewOpenPullRequests();
        store.locks().acquire("production", "acme/infra#45", NOW.minus(Duration.ofMinutes(12)),
                Duration.ofMinutes(30));
        addDeployments(deployments);
        addDecisions(decisions);
        return this;
    }

    /** Five open PRs, each reviewed as PullRequestReview would, at moments before now. */
    void reviewOpenPullRequests() {
        ReviewBoard board = new ReviewBoard(store.reviewBoard(), ReviewBoard.mapper());
        review(board, pr(42, HOSTILE_TITLE, "dev1"), PROD, "120.00",
                List.of(approve("lead1", 42)), List.of(), Duration.ofHours(26));
        review(board, pr(43, "Staging: bigger RDS", "dev2"), STAGING, "35.10",
                List.of(approve("ops1", 43)), List.of(), Duration.ofHours(3));
        review(board, pr(44, "Production: new cluster", "dev1"), PROD, "812.40",
                List.of(approve("lead1", 44), approve("cto1", 44)), List.of(),
                Duration.ofMinutes(50));
        review(board, pr(45, "Hotfix: security group", "ops1"), PROD, "0.00",
                List.of(approve("lead1", 45), approve("cto1", 45)),
                List.of(new Override("cto1", sha(45), NOW.minus(Duration.ofMinutes(20)),
                        "Incident INC-231: <b>open</b> port")), Duration.ofMinutes(20));
        review(board, pr(46, "Staging: tags only", "dev1"), STAGING, "0.00",
                List.of(approve("ops1", 46)), List.of(), Duration.ofMinutes(5));
    }

    private void review(ReviewBoard board, PullRequest pr, ProjectRef project, String increase,
            List<Review> reviews, List<Override> overrides, Duration ago) {
        PullRequestSnapshot s = new PullRequestSnapshot(pr, reviews, TEAMS,
                List.of(report(project, pr.headSha(), increase)), overrides,
                List.of(new Lock("production", "acme/infra#45")));
        Instant at = NOW.minus(ago);
        board.record(policy, s, PullRequestReview.summarize(policy, s, at),
                "https://github.com/" + pr.repo() + "/pull/" + pr.number(), at);
    }

    static PullRequest pr(int n, String title, String author) {
        return new PullRequest("acme/infra", n, n == 43 || n == 46 ? "staging" : "main", sha(n),
                author, false, n == 43 ? Set.of() : Set.of("cost-reviewed"),
                "## Rollback plan\n\nRevert.\n\n- [x] reviewed\n", title);
    }

    static String sha(int n) {
        // a realistic spread of hex digits, stable per PR
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest
                    .getInstance("SHA-1").digest(("pr" + n).getBytes(
                            java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static Review approve(String user, int n) {
        return new Review(user, Review.State.APPROVED, sha(n),
                Optional.of(NOW.minus(Duration.ofHours(2))));
    }

    static ProjectReport report(ProjectRef project, String sha, String increase) {
        return new ProjectReport(project, sha, Optional.of(new CostChange(
                Optional.of(new BigDecimal(increase)), Optional.of(new BigDecimal("1450.00")))),
                Optional.of(new PlanChange(Map.of("aws_instance", 1), Map.of(), Map.of())),
                Optional.of(NOW.minus(Duration.ofHours(4))));
    }

    /** Deployments over the last 89 days, newest ~ now: mostly succeeded, some not. */
    void addDeployments(int n) {
        Random r = new Random(20);
        String[] envs = {"staging", "staging", "production"};
        String[] actors = {"lead1", "cto1", "ops1", "dev1"};
        long span = Duration.ofDays(89).toMillis();
        for (int i = 0; i < n; i++) {
            Instant start = NOW.minusMillis((long) (span * (double) i / n) + r.nextInt(60_000)
                    + 60_000);
            String env = envs[i % envs.length];
            int pr = 1000 + i / 3;
            Deployment d = new Deployment("dep-" + i, i % 7 == 0 ? "acme/network" : "acme/infra",
                    pr, sha(pr), env.equals("production") ? "prod-environment"
                            : "staging-environment", env, actors[i % actors.length], start,
                    Optional.empty(), DeploymentStatus.RUNNING);
            int roll = r.nextInt(100);
            Duration took = Duration.ofSeconds(40 + r.nextInt(roll < 90 ? 600 : 2400));
            if (i == 0) {
                store.deployments().save(d);
            } else if (roll < 85) {
                store.deployments().save(d.finish(start.plus(took), true));
            } else if (roll < 96) {
                store.deployments().save(d.finish(start.plus(took), false));
            } else {
                store.deployments().save(d.unknown(start.plus(Duration.ofMinutes(30))));
            }
        }
    }

    /** Gate decisions over the last 60 days, their facts written by the real recorder. */
    void addDecisions(int n) {
        DecisionRecorder recorder = new DecisionRecorder(store.audit(), new SimpleMeterRegistry(),
                io.tidegate.review.PolicyVersions.NONE);
        Random r = new Random(18);
        String[] actors = {"lead1", "cto1", "ops1", "dev1", "dev2"};
        long span = Duration.ofDays(60).toMillis();
        for (int i = 0; i < n; i++) {
            int number = 900 + i / 6;
            boolean prod = r.nextInt(3) == 0;
            PullRequest pr = new PullRequest(i % 5 == 0 ? "acme/network" : "acme/infra", number,
                    prod ? "main" : "staging", sha(number), actors[(i + 3) % actors.length],
                    false, Set.of("cost-reviewed"), "## Rollback plan\n\n- [x] done\n",
                    i == 0 ? HOSTILE_TITLE : "Change " + number);
            List<Review> reviews = r.nextBoolean()
                    ? List.of(approve("lead1", number), approve("cto1", number))
                    : List.of(approve("ops1", number));
            ProjectRef project = prod ? PROD : STAGING;
            var facts = new PullRequestSnapshot(pr, reviews, TEAMS,
                    List.of(report(project, pr.headSha(), r.nextInt(4) == 0 ? "640.00"
                            : "42.00")), List.of(), List.of())
                    .factsFor(r.nextInt(4) == 0 ? Command.PLAN : Command.APPLY, project,
                            actors[i % actors.length]);
            Instant at = NOW.minusMillis((long) (span * (double) i / n) + 1000);
            Decision d = DecisionEngine.decide(policy, facts, at);
            recorder.record(policy, facts, d, at, Optional.empty());
        }
    }

    @java.lang.Override
    public void close() {
        store.close();
    }
}
