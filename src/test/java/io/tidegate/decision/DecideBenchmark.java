package io.tidegate.decision;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.tidegate.policy.PolicyParser;
import io.tidegate.policy.PolicySet;

/**
 * A simple loop benchmark, run by hand (not a test: no timed assertions):
 * {@code java -cp target/test-classes:target/classes:$(deps) io.tidegate.decision.DecideBenchmark}.
 * Decides a production apply for a PR touching 50 projects (all 50 reports are summed for the
 * environment's cost and resource limits), with the project policy and four reviews.
 */
public final class DecideBenchmark {
    private DecideBenchmark() {}

    public static void main(String[] args) throws Exception {
        PolicySet policy = PolicyParser.parse(Path.of("policies", "policy.yaml"));
        String head = "9f1c2d3";
        List<ProjectReport> reports = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            ProjectRef p = new ProjectRef("prod-environment", "environments/prod/svc" + i,
                    "default");
            reports.add(new ProjectReport(p, head, Optional.of(new CostChange(
                    Optional.of(new BigDecimal("1.25")), Optional.of(new BigDecimal("30.10")))),
                    Optional.of(new PlanChange(Map.of("aws_s3_bucket", 1), Map.of(), Map.of()))));
        }
        PullRequest pr = new PullRequest("acme/infra", 42, "main", head, "dev-kim", false,
                Set.of("cost-reviewed"), "- [x] a\n- [x] b\n\n## Rollback plan\nRevert.\n");
        Facts facts = new Facts(Command.APPLY, reports.get(0).project(), pr, "lead-park",
                Map.of("lead-park", Set.of("acme/devops-lead"), "cto-lee", Set.of("acme/cto")),
                List.of(new Review("lead-park", Review.State.APPROVED, head),
                        new Review("cto-lee", Review.State.APPROVED, head),
                        new Review("dev-yoon", Review.State.COMMENTED, head),
                        new Review("ops-han", Review.State.APPROVED, "0ld0ld0")),
                reports, List.of(), List.of());
        Instant now = Instant.parse("2026-11-23T01:00:00Z");
        Decision check = DecisionEngine.decide(policy, facts, now);
        System.out.println("decision: " + check.codes() + " allowed=" + check.isAllowed());
        int sink = 0;
        for (int round = 0; round < 5; round++) {
            int n = 20_000;
            long start = System.nanoTime();
            for (int i = 0; i < n; i++) {
                sink += DecisionEngine.decide(policy, facts, now).reasons().size();
            }
            long ns = System.nanoTime() - start;
            System.out.printf("round %d: %.1f us/decide, %.0f decides/s, %.2f ms per PR "
                    + "(50 decides)%n", round, ns / 1000.0 / n, n * 1e9 / ns, ns / 1e6 / n * 50);
        }
        System.out.println("sink " + sink);
    }
}
