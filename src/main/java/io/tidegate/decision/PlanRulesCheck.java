package io.tidegate.decision;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.tidegate.policy.Environment;
import io.tidegate.policy.PlanChangeRule;
import io.tidegate.policy.PolicySet;

/**
 * The environment's {@code plan_rules} against the resource changes of the PR's plans in it at
 * the head commit. A rule whose match finds nothing says nothing. With {@code deny} a match
 * denies ({@code plan-rule-denied}, naming the changes); otherwise its approvals are counted as
 * every approval is (head commit, never the author's, only for the cost it was given for:
 * {@link ReviewTally}), besides the environment's, and its requirements checked. Unknown changes
 * under any plan rule fail closed ({@code plan-unknown}).
 */
final class PlanRulesCheck {
    /** How many matched changes a reason names before "and N more". */
    private static final int NAMED = 5;

    private final PolicySet policy;
    private final Environment env;
    private final Facts facts;
    private final ReviewTally.Tally anyone;
    private final Optional<List<ResourceChange>> changes;
    private final List<Reason> reasons = new ArrayList<>();
    private final List<Assessment.PlanRuleStatus> statuses = new ArrayList<>();
    private List<List<String>> actionWords;

    /** {@code anyone}: approvals that count, whatever the reviewer's role. */
    PlanRulesCheck(PolicySet policy, Environment env, Facts facts, EnvironmentReports reports,
            ReviewTally.Tally anyone) {
        this.policy = policy;
        this.env = env;
        this.facts = facts;
        this.anyone = anyone;
        this.changes = reports.changes();
        if (!env.planRules().isEmpty()) {
            check(reports);
        }
    }

    List<Reason> reasons() {
        return reasons;
    }

    List<Assessment.PlanRuleStatus> statuses() {
        return statuses;
    }

    private void check(EnvironmentReports reports) {
        // Rule: plan rules with the plan's changes unknown at the head commit fail closed.
        if (changes.isEmpty()) {
            Reason r = Reason.of(ReasonCode.PLAN_UNKNOWN, "no plan known at "
                    + Evaluation.shortSha(facts) + " for "
                    + Text.and(reports.withoutChanges(facts.project()))
                    + ", so the plan rules of " + env.name() + " cannot be checked",
                    "run atlantis plan again so Tidegate receives the plan");
            boolean anyEnforced = env.planRules().stream().anyMatch(PlanChangeRule::enforce);
            reasons.add(anyEnforced ? r : r.unenforced());
            env.planRules().forEach(rule -> statuses.add(new Assessment.PlanRuleStatus(
                    rule.name(), List.of(), effect(rule), false, rule.enforce())));
            return;
        }
        env.planRules().forEach(this::check);
    }

    private void check(PlanChangeRule rule) {
        List<String> matched = new ArrayList<>();
        List<ResourceChange> all = changes.get();
        List<List<String>> words = actionWords(all);
        for (int i = 0; i < all.size(); i++) {
            ResourceChange c = all.get(i);
            if (rule.match().matches(c.address(), c.type(), words.get(i))) {
                matched.add(c.verb() + " " + c.address());
            }
        }
        List<Reason> out = matched.isEmpty() ? List.of() : reasons(rule, matched);
        out.forEach(r -> reasons.add(rule.enforce() ? r : r.unenforced()));
        statuses.add(new Assessment.PlanRuleStatus(rule.name(), matched, effect(rule),
                out.isEmpty(), rule.enforce()));
    }

    private List<Reason> reasons(PlanChangeRule rule, List<String> matched) {
        String what = "plan rule " + rule.name() + " matches " + named(matched) + " in "
                + env.name();
        // Rule: a deny rule denies whatever else is given.
        if (rule.deny().isPresent()) {
            return List.of(Reason.of(ReasonCode.PLAN_RULE_DENIED, what + ": denied",
                    rule.deny().get()));
        }
        List<Reason> out = new ArrayList<>();
        rule.approvals().flatMap(a -> approvalsMissing(a, what)).ifPresent(out::add);
        List<String> gaps = RequirementGaps.of(rule.require(), facts.pullRequest());
        if (!gaps.isEmpty()) {
            out.add(Reason.of(ReasonCode.PLAN_RULE_REQUIREMENTS_MISSING, what + ", which "
                    + "requires " + RequirementGaps.describe(rule.require()),
                    String.join("; ", gaps)));
        }
        return out;
    }

    /** Counted approvers holding one of the rule's roles (anyone's when none are named). */
    private Optional<Reason> approvalsMissing(PlanChangeRule.RuleApprovals a, String what) {
        List<String> counted = anyone.approvers().stream()
                .filter(u -> a.from().isEmpty()
                        || policy.hasAnyRole(a.from(), u, Logins.teamsOf(facts, u)))
                .toList();
        if (counted.size() >= a.count()) {
            return Optional.empty();
        }
        String from = a.from().isEmpty() ? "" : " from " + Text.or(a.from());
        int more = a.count() - counted.size();
        return Optional.of(Reason.of(ReasonCode.PLAN_RULE_APPROVALS_MISSING, what + ", which "
                + "needs " + Text.plural(a.count(), "approval", "approvals") + from
                + " besides the environment's; " + counted.size() + " counted"
                + (counted.isEmpty() ? "" : " (" + Text.and(counted) + ")"),
                "needs " + more + " more " + (more == 1 ? "approval" : "approvals") + from));
    }

    private static String effect(PlanChangeRule rule) {
        if (rule.deny().isPresent()) {
            return "deny";
        }
        List<String> parts = new ArrayList<>();
        rule.approvals().ifPresent(a -> parts.add(Text.plural(a.count(), "approval",
                "approvals") + (a.from().isEmpty() ? "" : " from " + Text.or(a.from()))));
        String req = RequirementGaps.describe(rule.require());
        if (!req.isEmpty()) {
            parts.add(req);
        }
        return "needs " + String.join(", ", parts);
    }

    /** "replace aws_db_instance.main and delete aws_s3_bucket.logs", at most five named. */
    private static String named(List<String> matched) {
        if (matched.size() <= NAMED) {
            return Text.and(matched);
        }
        return String.join(", ", matched.subList(0, NAMED)) + " and "
                + (matched.size() - NAMED) + " more";
    }

    /** Each change's action words, worked out once for all the rules (issue 19). */
    private List<List<String>> actionWords(List<ResourceChange> all) {
        if (actionWords == null) {
            actionWords = new ArrayList<>(all.size());
            for (ResourceChange c : all) {
                List<String> out = new ArrayList<>(c.actions().size());
                for (ResourceChange.Action a : c.actions()) {
                    out.add(a.word());
                }
                actionWords.add(out);
            }
        }
        return actionWords;
    }
}
