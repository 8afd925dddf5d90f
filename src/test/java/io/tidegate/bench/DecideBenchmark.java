package io.tidegate.bench;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import io.tidegate.decision.Command;
import io.tidegate.decision.CostChange;
import io.tidegate.decision.Decision;
import io.tidegate.decision.DecisionEngine;
import io.tidegate.decision.Facts;
import io.tidegate.decision.PlanChange;
import io.tidegate.decision.ProjectRef;
import io.tidegate.decision.ProjectReport;
import io.tidegate.decision.PullRequest;
import io.tidegate.decision.Review;
import io.tidegate.policy.PolicyParser;
import io.tidegate.policy.PolicySet;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * {@link DecisionEngine#decide} for a production apply with the real {@code policies/policy.yaml}
 * (run from the project root): a pull request touching 1 or 50 projects, whose reports are all
 * summed against the environment's cost and resource limits, with four reviews. With
 * {@code timed}, reviews and reports carry their times and every project was re-planned once
 * (a replaced report each), so the cost each approval was given for is worked out too. Run by
 * {@code bench/jmh}; not a test.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class DecideBenchmark {
    @Param({"1", "50"})
    public int projects;

    @Param({"false", "true"})
    public boolean timed;

    private PolicySet policy;
    private Facts facts;
    private final Instant now = Instant.parse("2026-11-23T01:00:00Z");

    @Setup
    public void setUp() throws Exception {
        policy = PolicyParser.parse(Path.of(System.getProperty("tidegate.policy",
                "policies/policy.yaml")));
        String head = "9f1c2d3";
        List<ProjectReport> reports = new ArrayList<>();
        List<ProjectReport> replaced = new ArrayList<>();
        Optional<Instant> first = timed ? Optional.of(now.minusSeconds(3600)) : Optional.empty();
        Optional<Instant> replan = timed ? Optional.of(now.minusSeconds(1800)) : Optional.empty();
        Optional<Instant> approved = timed ? Optional.of(now.minusSeconds(600))
                : Optional.empty();
        for (int i = 0; i < projects; i++) {
            ProjectRef p = new ProjectRef("prod-environment", "environments/prod/svc" + i,
                    "default");
            reports.add(report(p, head, "1.25", replan));
            if (timed) {
                replaced.add(report(p, head, "1.50", first));
            }
        }
        PullRequest pr = new PullRequest("acme/infra", 42, "main", head, "dev-kim", false,
                Set.of("cost-reviewed"), "- [x] a\n- [x] b\n\n## Rollback plan\nRevert.\n");
        facts = new Facts(Command.APPLY, reports.get(0).project(), pr, "lead-park",
                Map.of("lead-park", Set.of("acme/devops-lead"), "cto-lee", Set.of("acme/cto")),
                List.of(new Review("lead-park", Review.State.APPROVED, head, approved),
                        new Review("cto-lee", Review.State.APPROVED, head, approved),
                        new Review("dev-yoon", Review.State.COMMENTED, head, approved),
                        new Review("ops-han", Review.State.APPROVED, "0ld0ld0", approved)),
                reports, List.of(), List.of(), replaced);
    }

    private static ProjectReport report(ProjectRef p, String head, String increase,
            Optional<Instant> at) {
        return new ProjectReport(p, head, Optional.of(new CostChange(
                Optional.of(new BigDecimal(increase)), Optional.of(new BigDecimal("30.10")))),
                Optional.of(PlanChange.ofCounts(Map.of("aws_s3_bucket", 1), Map.of(), Map.of())), at);
    }

    @Benchmark
    public Decision decide() {
        return DecisionEngine.decide(policy, facts, now);
    }
}
