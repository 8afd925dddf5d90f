package io.tidegate.decision;

import java.math.BigDecimal;
import java.time.Instant;
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
 *
 * <p>Earlier reports of a project at the head commit (the facts' replaced reports, or a project
 * reported twice) are kept as history, so {@link #monthlyIncreaseKnownAt} can say what the cost
 * was at an earlier moment.
 */
final class EnvironmentReports {
    private final List<ProjectReport> reports;
    private final List<ProjectReport> history;
    private final boolean targetReported;
    private final String currency;

    private EnvironmentReports(List<ProjectReport> reports, List<ProjectReport> history,
            boolean targetReported, String currency) {
        this.reports = reports;
        this.history = history;
        this.targetReported = targetReported;
        this.currency = currency;
    }

    static EnvironmentReports of(PolicySet policy, Environment environment, Facts facts) {
        List<ProjectReport> history = new ArrayList<>();
        String head = facts.pullRequest().headSha();
        // Replaced reports first: the last report of each project is its current one.
        List<ProjectReport> all = new ArrayList<>(facts.replacedReports());
        all.addAll(facts.reports());
        // a project's environment once per project, not per report (replaced reports repeat it)
        Map<ProjectRef, Boolean> belonging = new java.util.HashMap<>();
        for (ProjectReport r : all) {
            if (r.commitSha().equals(head) && belonging.computeIfAbsent(r.project(),
                    p -> belongs(policy, environment, p))) {
                history.add(r);
            }
        }
        Map<ProjectRef, ProjectReport> latest = latestPerProject(history);
        return new EnvironmentReports(List.copyOf(latest.values()), List.copyOf(history),
                latest.containsKey(facts.project()), policy.currency());
    }

    /** The last report of each project, in the order projects were first reported. */
    private static Map<ProjectRef, ProjectReport> latestPerProject(List<ProjectReport> reports) {
        Map<ProjectRef, ProjectReport> latest = new LinkedHashMap<>();
        for (ProjectReport r : reports) {
            latest.put(r.project(), r);
        }
        return latest;
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

    /**
     * The environment's monthly increase as it was known at {@code moment}: per project the
     * latest report received by then, summed. A project not yet reported then, or reported
     * without a price, adds nothing: nobody could have agreed to a figure they were not shown.
     * Empty when no report of the environment had been received by then.
     */
    Optional<BigDecimal> monthlyIncreaseKnownAt(Instant moment) {
        // loops, not streams: asked once per counted approval (issue 19)
        Map<ProjectRef, ProjectReport> latest = new LinkedHashMap<>();
        for (ProjectReport r : history) {
            if (r.isKnownAt(moment)) {
                latest.put(r.project(), r);
            }
        }
        if (latest.isEmpty()) {
            return Optional.empty();
        }
        BigDecimal total = BigDecimal.ZERO;
        for (ProjectReport r : latest.values()) {
            Optional<BigDecimal> v = comparable(r).flatMap(CostChange::monthlyIncrease);
            if (v.isPresent()) {
                total = total.add(v.get());
            }
        }
        return Optional.of(total);
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
        reports.stream().filter(r -> comparable(r).flatMap(CostChange::monthlyIncrease).isEmpty())
                .forEach(r -> out.add(r.project().label()));
        return out;
    }

    /** The currencies, other than the policy's, that Infracost priced a report in (sorted). */
    List<String> otherCurrencies() {
        return reports.stream().flatMap(r -> r.cost().flatMap(CostChange::currency).stream())
                .filter(c -> !c.equalsIgnoreCase(currency)).distinct().sorted().toList();
    }

    /** The report's figures when they are in the policy's currency; others compare with nothing. */
    private Optional<CostChange> comparable(ProjectReport r) {
        // Rule: figures in another currency than the policy's are unknown, never converted.
        Optional<CostChange> cost = r.cost();
        return cost.isPresent() && cost.get().isIn(currency) ? cost : Optional.empty();
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

    /**
     * Every resource change of the environment's plans at the head commit; empty when any plan,
     * or any plan's list of changes, is unknown.
     */
    Optional<List<ResourceChange>> changes() {
        if (!targetReported || reports.stream().anyMatch(
                r -> r.plan().flatMap(PlanChange::changes).isEmpty())) {
            return Optional.empty();
        }
        List<ResourceChange> out = new ArrayList<>();
        reports.forEach(r -> out.addAll(r.plan().get().changes().get()));
        return Optional.of(out);
    }

    /** Projects whose resource changes are unknown at the head commit (target first). */
    List<String> withoutChanges(ProjectRef target) {
        List<String> out = new ArrayList<>();
        if (!targetReported) {
            out.add(target.label());
        }
        reports.stream().filter(r -> r.plan().flatMap(PlanChange::changes).isEmpty())
                .forEach(r -> out.add(r.project().label()));
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
            Optional<BigDecimal> v = comparable(r).flatMap(figure);
            if (v.isEmpty()) {
                return Optional.empty();
            }
            total = total.add(v.get());
        }
        return Optional.of(total);
    }
}
