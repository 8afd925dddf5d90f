package io.tidegate.decision;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import io.tidegate.policy.Environment;
import io.tidegate.policy.PolicySet;

/**
 * The PR's project reports that count for one environment: those at the head commit whose
 * project belongs to the environment (the latest per project). Money and resource limits sum
 * over them. A figure is known only when the target project was reported at the head commit and
 * every summed report has it; otherwise it is unknown, and unknown fails closed. Reports of older
 * commits are ignored: they describe code that is no longer the PR.
 */
final class EnvironmentReports {
    private final List<ProjectReport> reports;
    private final boolean targetReported;

    private EnvironmentReports(List<ProjectReport> reports, boolean targetReported) {
        this.reports = reports;
        this.targetReported = targetReported;
    }

    static EnvironmentReports of(PolicySet policy, Environment environment, Facts facts) {
        Map<ProjectRef, ProjectReport> latest = new LinkedHashMap<>();
        String head = facts.pullRequest().headSha();
        for (ProjectReport r : facts.reports()) {
            if (r.commitSha().equals(head) && belongs(policy, environment, r.project())) {
                latest.put(r.project(), r);
            }
        }
        return new EnvironmentReports(List.copyOf(latest.values()),
                latest.containsKey(facts.project()));
    }

    private static boolean belongs(PolicySet policy, Environment environment, ProjectRef p) {
        return DecisionEngine.environmentFor(policy, p)
                .map(e -> e.name().equals(environment.name())).orElse(false);
    }

    int projects() {
        return reports.size();
    }

    Optional<BigDecimal> monthlyIncrease() {
        return sum(c -> c.monthlyIncrease());
    }

    Optional<BigDecimal> monthlyTotal() {
        return sum(c -> c.monthlyTotal());
    }

    /** Projects whose monthly increase is unknown at the head commit (target first). */
    List<String> withoutCost(ProjectRef target) {
        List<String> out = new ArrayList<>();
        if (!targetReported) {
            out.add(target.label());
        }
        reports.stream().filter(r -> r.cost().flatMap(CostChange::monthlyIncrease).isEmpty())
                .forEach(r -> out.add(r.project().label()));
        return out;
    }

    /** Projects whose plan is unknown at the head commit (target first). */
    List<String> withoutPlan(ProjectRef target) {
        List<String> out = new ArrayList<>();
        if (!targetReported) {
            out.add(target.label());
        }
        reports.stream().filter(r -> r.plan().isEmpty()).forEach(r -> out.add(r.project().label()));
        return out;
    }

    /** Resources created per type, summed; empty when any plan is unknown. */
    Optional<Map<String, Integer>> createdByType() {
        if (!targetReported || reports.stream().anyMatch(r -> r.plan().isEmpty())) {
            return Optional.empty();
        }
        Map<String, Integer> out = new TreeMap<>();
        reports.forEach(r -> r.plan().get().createdByType().forEach(
                (type, n) -> out.merge(type, n, Integer::sum)));
        return Optional.of(out);
    }

    private Optional<BigDecimal> sum(
            java.util.function.Function<CostChange, Optional<BigDecimal>> figure) {
        if (!targetReported) {
            return Optional.empty();
        }
        BigDecimal total = BigDecimal.ZERO;
        for (ProjectReport r : reports) {
            Optional<BigDecimal> v = r.cost().flatMap(figure);
            if (v.isEmpty()) {
                return Optional.empty();
            }
            total = total.add(v.get());
        }
        return Optional.of(total);
    }
}
