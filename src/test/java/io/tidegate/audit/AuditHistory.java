package io.tidegate.audit;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tidegate.decision.Command;
import io.tidegate.decision.CostChange;
import io.tidegate.decision.DecisionEngine;
import io.tidegate.decision.Facts;
import io.tidegate.decision.PlanChange;
import io.tidegate.decision.ProjectRef;
import io.tidegate.decision.ProjectReport;
import io.tidegate.decision.PullRequest;
import io.tidegate.decision.Review;
import io.tidegate.policy.PolicyParser;
import io.tidegate.policy.PolicySet;
import io.tidegate.review.DecisionRecorder;
import io.tidegate.review.PolicyVersions;
import io.tidegate.store.Store;

/**
 * A recorded history for replay and what-if tests: decisions made by the real engine with the
 * repository's policy (copied to a temp file, as a server reads it) and recorded by the real
 * recorder into a real store. Production applies on Monday 2026-11-23 10:00 KST (window open).
 */
public final class AuditHistory {
    public static final Instant MONDAY_10_KST = Instant.parse("2026-11-23T01:00:00Z");
    public static final ProjectRef PROD = new ProjectRef("prod-environment", "environments/prod",
            "default");
    public static final ProjectRef STAGING = new ProjectRef("staging-environment",
            "environments/staging", "default");
    static final String BODY = "## Rollback plan\n\nRevert.\n\n- [x] reviewed\n";

    public final Path policyFile;
    public final PolicySet policy;
    final DecisionRecorder recorder;

    public AuditHistory(Store store, Path dir) throws Exception {
        policyFile = dir.resolve("policy.yaml");
        Files.copy(Path.of("policies/policy.yaml"), policyFile);
        String text = Files.readString(policyFile);
        policy = PolicyParser.parse(text, policyFile.toString());
        recorder = new DecisionRecorder(store.audit(), new SimpleMeterRegistry(),
                new PolicyVersions(store.policyVersions(), sha -> Optional.of(Map.of(
                        policyFile.toString(), text)), Clock.fixed(MONDAY_10_KST,
                                ZoneOffset.UTC)));
    }

    /** A production apply of PR {@code number} with these approvers; recorded. */
    public void apply(int number, ProjectRef project, boolean draft, String... approvers) {
        Facts facts = facts("acme/infra", number, project, draft, approvers);
        Instant at = MONDAY_10_KST.plusSeconds(number);
        recorder.record(policy, facts, DecisionEngine.decide(policy, facts, at), at,
                Optional.empty());
    }

    /** The facts of an apply of {@code repo}'s PR {@code number} by lead1, with approvers. */
    public static Facts facts(String repo, int number, ProjectRef project, boolean draft,
            String... approvers) {
        String sha = "sha" + number;
        List<Review> reviews = java.util.Arrays.stream(approvers).map(a -> new Review(a,
                Review.State.APPROVED, sha, MONDAY_10_KST.minusSeconds(600))).toList();
        return new Facts(Command.APPLY, project, new PullRequest(repo, number,
                project == PROD ? "main" : "staging", sha, "dev1", draft,
                Set.of("cost-reviewed"), BODY, "PR " + number), "lead1",
                Map.of("lead1", Set.of("acme/devops-lead"), "cto1", Set.of("acme/cto"),
                        "senior1", Set.of("acme/senior-developers"), "dev1",
                        Set.of("acme/developers")), reviews,
                List.of(new ProjectReport(project, sha, Optional.of(new CostChange(
                        Optional.of(new BigDecimal("40.50")),
                        Optional.of(new BigDecimal("81.10")))), Optional.of(PlanChange.EMPTY),
                        Optional.of(MONDAY_10_KST.minusSeconds(900)))),
                List.of(), List.of());
    }

    /** The repository's policy with production needing {@code n} approvals. */
    public static String productionNeeding(int n) throws Exception {
        String text = Files.readString(Path.of("policies/policy.yaml"));
        String from = "approvals: { count: 2, from: [devops-lead, cto]";
        if (!text.contains(from)) {
            throw new IllegalStateException("policies/policy.yaml changed: update this test");
        }
        return text.replace(from, "approvals: { count: " + n + ", from: [devops-lead, cto]");
    }
}
