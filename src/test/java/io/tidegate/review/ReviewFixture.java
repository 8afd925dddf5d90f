package io.tidegate.review;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tidegate.atlantis.GateRequest;
import io.tidegate.atlantis.PullInfo;
import io.tidegate.atlantis.Repository;
import io.tidegate.atlantis.RunContext;
import io.tidegate.decision.Command;
import io.tidegate.decision.CostChange;
import io.tidegate.decision.Lock;
import io.tidegate.decision.PlanChange;
import io.tidegate.decision.ProjectRef;
import io.tidegate.decision.ProjectReport;
import io.tidegate.decision.PullRequest;
import io.tidegate.decision.Review;
import io.tidegate.notify.NotificationEvent;
import io.tidegate.notify.NotificationPublisher;
import io.tidegate.policy.PolicyParser;
import io.tidegate.policy.PolicySet;
import io.tidegate.store.AuditStore;
import io.tidegate.store.SqliteStore;
import io.tidegate.store.Store;
import io.tidegate.TestClock;

/**
 * The review services over a real SQLite store in a temp dir, the default policy, a fake
 * snapshot source, a recording publisher and review-request list, and a clock tests move.
 * Production PR {@code acme/infra#42} at {@link #SHA}, approved by lead1 and cto1.
 */
final class ReviewFixture implements AutoCloseable {
    static final String SHA = "6dcb09b5b57875f334f61aebed695e2e4193db5e";
    static final String OTHER_SHA = "e5bd3914e2e596debea16f433f57875b5b90bcd6";
    static final ProjectRef PROD = new ProjectRef("prod-environment", "environments/prod",
            "prod");
    static final ProjectRef PROD_2 = new ProjectRef("prod-network", "environments/prod/net",
            "prod");
    /** Monday 2026-11-23 10:00 KST: the production window is open. */
    static final Instant MONDAY_10_KST = Instant.parse("2026-11-23T01:00:00Z");
    static final String BODY = "## Rollback plan\n\nRevert.\n\n- [x] reviewed\n";
    static final String TITLE = "Add instances";

    final Store store;
    final PolicySet policy;
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final TestClock clock = new TestClock(MONDAY_10_KST);
    final List<NotificationEvent> published = new CopyOnWriteArrayList<>();
    final List<String> reviewRequests = new CopyOnWriteArrayList<>();
    final AtomicInteger snapshots = new AtomicInteger();
    volatile PullRequestSnapshot snapshot;
    volatile String unavailable; // non-null: the snapshot source fails with this message
    volatile Throwable unavailableCause; // the cause of that failure, when set

    final String policyText;

    ReviewFixture(Path dir) throws Exception {
        this.store = SqliteStore.openIn(dir);
        this.policyText = java.nio.file.Files.readString(Path.of("policies/policy.yaml"));
        this.policy = PolicyParser.parse(policyText, "policies/policy.yaml");
        this.snapshot = snapshot(42, SHA, List.of(report(PROD, "40.56", "81.12")));
    }

    ReviewParts parts() {
        return parts(store.audit());
    }

    /** The parts with another policy in force. */
    ReviewParts parts(PolicySet other) {
        ReviewParts p = parts(store.audit());
        return new ReviewParts(p.snapshots(), PolicySource.of(other), p.recorder(),
                p.deployments(), p.reviews(), p.publisher(), p.registry(), p.clock());
    }

    ReviewParts parts(AuditStore audit) {
        SnapshotSource source = (repo, number, extra, now) -> {
            snapshots.incrementAndGet();
            if (unavailable != null) {
                throw new FactsUnavailableException(unavailable, unavailableCause);
            }
            return snapshot;
        };
        NotificationPublisher publisher = published::add;
        return new ReviewParts(source, PolicySource.of(policy),
                new DecisionRecorder(audit, registry, new PolicyVersions(store.policyVersions(),
                        sha -> Optional.of(Map.of("policies/policy.yaml", policyText)), clock)),
                new Deployments(store.locks(), store.deployments()),
                (repo, number, why) -> reviewRequests.add(repo + "#" + number + ": " + why),
                publisher, registry, clock);
    }

    static PullRequestSnapshot snapshot(int number, String sha, List<ProjectReport> reports) {
        return snapshot(number, sha, reports, List.of());
    }

    static PullRequestSnapshot snapshot(int number, String sha, List<ProjectReport> reports,
            List<Lock> locks) {
        PullRequest pr = new PullRequest("acme/infra", number, "main", sha, "dev1", false,
                Set.of("cost-reviewed"), BODY, TITLE);
        return new PullRequestSnapshot(pr,
                List.of(new Review("lead1", Review.State.APPROVED, sha),
                        new Review("cto1", Review.State.APPROVED, sha)),
                Map.of("dev1", Set.of("acme/senior-developers"),
                        "lead1", Set.of("acme/devops-lead"),
                        "cto1", Set.of("acme/cto"),
                        "intern1", Set.of("acme/developers"),
                        "atlantis", Set.of()),
                reports, List.of(), locks);
    }

    static ProjectReport report(ProjectRef project, String increase, String total) {
        return new ProjectReport(project, SHA, Optional.of(new CostChange(
                Optional.of(new BigDecimal(increase)), Optional.of(new BigDecimal(total)))),
                Optional.of(PlanChange.ofCounts(Map.of("aws_instance", 2), Map.of(), Map.of())));
    }

    static RunContext context(int number, String sha, ProjectRef project, String user) {
        return new RunContext(new Repository("acme", "infra"), new Repository("acme", "infra"),
                new PullInfo(number, "dev1", "https://github.com/acme/infra/pull/" + number,
                        "feature/infra-x", "main", sha),
                project, "", user, "");
    }

    static GateRequest apply(String user) {
        return new GateRequest(Command.APPLY, context(42, SHA, PROD, user));
    }

    static GateRequest plan(String user) {
        return new GateRequest(Command.PLAN, context(42, SHA, PROD, user));
    }

    double decisions(String environment, String result, String reason) {
        var c = registry.find("tidegate.decisions").tag("environment", environment)
                .tag("result", result).tag("reason", reason).counter();
        return c == null ? 0 : c.count();
    }

    List<NotificationEvent> published() {
        return new ArrayList<>(published);
    }

    @Override
    public void close() {
        store.close();
    }

}
