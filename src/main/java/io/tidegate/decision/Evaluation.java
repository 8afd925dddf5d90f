package io.tidegate.decision;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.tidegate.policy.CostRule;
import io.tidegate.policy.CostTier;
import io.tidegate.policy.Durations;
import io.tidegate.policy.Environment;
import io.tidegate.policy.PolicySet;
import io.tidegate.policy.Requirements;
import io.tidegate.policy.ResourceLimit;

/**
 * One evaluation of the rules for a project's environment. Computes the shared figures once
 * (review tally, cost sums, window) and then checks rule by rule, each check a guard that adds
 * its reason. The window check lives in {@link WindowCheck}.
 */
final class Evaluation {
    private final PolicySet policy;
    private final Environment env;
    private final Facts facts;
    private final Instant now;
    private final EnvironmentReports reports;
    private final ReviewTally.Tally tally;
    private final Optional<BigDecimal> increase;
    private final Optional<CostTier> tier;
    private final Optional<CostRule.OverLimit> overLimit;
    private final WindowCheck window;
    /** Approvals that count whatever the reviewer's role: for each_of, codeowners, plan rules. */
    private final ReviewTally.Tally anyone;
    private final PlanRulesCheck planRules;
    private final PromotionCheck promotion;
    private final FreezeCheck freeze;

    Evaluation(PolicySet policy, Environment env, Facts facts, Instant now) {
        this.policy = policy;
        this.env = env;
        this.facts = facts;
        this.now = now;
        this.reports = EnvironmentReports.of(policy, env, facts);
        GivenCost givenCost = GivenCost.of(reports, costMatters());
        this.tally = ReviewTally.count(policy, env.apply().approvals(), facts, givenCost);
        this.increase = reports.monthlyIncrease();
        this.tier = increase.flatMap(policy::tierFor);
        this.overLimit = overLimitPath();
        this.window = new WindowCheck(policy, env, facts, now, givenCost);
        this.anyone = ReviewTally.count(policy, new Environment.Approvals(0, Set.of(),
                env.apply().approvals().dismissStale()), facts, givenCost);
        this.planRules = new PlanRulesCheck(policy, env, facts, reports, anyone);
        this.promotion = new PromotionCheck(env, facts, now, window.liftsPromotion(),
                policy.timezone());
        this.freeze = new FreezeCheck(policy, env, facts, now, window.activeOverride(),
                window.status().map(w -> java.time.ZoneId.of(w.timezone())));
    }

    List<Reason> planReasons() {
        List<Reason> out = new ArrayList<>();
        // Rule: plan.enabled false means nothing is planned here.
        if (!env.plan().enabled()) {
            out.add(Reason.of(ReasonCode.COMMAND_DISABLED, "plan is disabled in " + env.name()));
            return out;
        }
        // Rule: with plan.allow given, only those roles may plan.
        actorAllowed("plan", env.plan().allow()).ifPresent(out::add);
        return out;
    }

    List<Reason> applyReasons() {
        List<Reason> out = new ArrayList<>();
        // Rule: apply.enabled false means plan only; no other rule matters then.
        if (!env.apply().enabled()) {
            out.add(Reason.of(ReasonCode.COMMAND_DISABLED, "apply is disabled in " + env.name()
                    + " (plan only)"));
            return out;
        }
        actorAllowed("apply", env.apply().allow()).ifPresent(out::add);
        branchAllowed().ifPresent(out::add);
        notDraft().ifPresent(out::add);
        out.addAll(approvals());
        out.addAll(requirements());
        out.addAll(enforced(window.reasons(), window.isEnforced()));
        out.addAll(freeze.reasons());
        out.addAll(costReasons());
        out.addAll(enforced(resources(), env.resources().stream()
                .allMatch(ResourceLimit::enforce)));
        out.addAll(planRules.reasons());
        out.addAll(promotion.reasons());
        lock().ifPresent(out::add);
        return out;
    }

    Assessment assessment() {
        return new Assessment(facts.command(), facts.project(), Optional.of(env.name()),
                approvalStatus(), window.status(), Optional.of(costStatus()), resourceStatus(),
                window.activeOverride(), otherLockHolder(), planRules.statuses(),
                promotion.status(), freeze.status());
    }

    /** Rule: a rule with enforce: false is reported as "would deny" and denies nothing. */
    private static List<Reason> enforced(List<Reason> reasons, boolean enforce) {
        return enforce ? reasons : reasons.stream().map(Reason::unenforced).toList();
    }

    /**
     * Cost limit, budget and unknown cost. With the environment's cost rule not enforced, its
     * limit and budget only "would deny"; unknown cost still denies while cost_approvals tiers
     * need the figure.
     */
    private List<Reason> costReasons() {
        boolean enforce = env.cost().map(CostRule::enforce).orElse(true);
        List<Reason> out = new ArrayList<>();
        for (Reason r : cost()) {
            boolean tiersNeedIt = r.code() == ReasonCode.COST_UNKNOWN
                    && !policy.costApprovals().isEmpty();
            out.add(enforce || tiersNeedIt ? r : r.unenforced());
        }
        out.addAll(enforced(budget(), enforce));
        return out;
    }

    private Optional<Reason> actorAllowed(String command, Set<String> allow) {
        String actor = facts.actor();
        if (allow.isEmpty() || policy.hasAnyRole(allow, actor, Logins.teamsOf(facts, actor))) {
            return Optional.empty();
        }
        // Atlantis leaves USER_NAME empty for API-triggered runs: nobody to check, so deny.
        String who = actor.isEmpty() ? "an unknown user" : actor;
        Set<String> has = policy.rolesOf(actor, Logins.teamsOf(facts, actor));
        return Optional.of(Reason.of(ReasonCode.ACTOR_NOT_ALLOWED,
                who + " may not " + command + " in " + env.name() + ": it takes role "
                        + Text.or(allow) + " (" + who + " has "
                        + (has.isEmpty() ? "no role" : Text.and(has)) + ")",
                "ask someone with role " + Text.or(allow) + " to run atlantis " + command));
    }

    private Optional<Reason> branchAllowed() {
        // Rule: `branches` lists the PR base branches apply may run from (absent = any).
        String base = facts.pullRequest().base();
        if (env.branches().isEmpty() || env.branches().contains(base)) {
            return Optional.empty();
        }
        return Optional.of(Reason.of(ReasonCode.BRANCH_NOT_ALLOWED, env.name()
                + " is applied only from pull requests into " + Text.or(env.branches())
                + "; this one targets " + base,
                "apply it through a pull request into " + Text.or(env.branches())));
    }

    private Optional<Reason> notDraft() {
        // Rule: nothing is applied from a draft pull request.
        if (!facts.pullRequest().draft()) {
            return Optional.empty();
        }
        return Optional.of(Reason.of(ReasonCode.DRAFT_PR,
                "this pull request is a draft: nothing is applied from a draft",
                "mark the pull request ready for review"));
    }

    /** Needed = max(environment count, cost tier, over-limit count when over the limit). */
    private int needed() {
        int n = env.apply().approvals().count();
        n = Math.max(n, tier.map(CostTier::approvals).orElse(0));
        return Math.max(n, overLimit.map(CostRule.OverLimit::approvals).orElse(0));
    }

    /** Role groups of which at least one counted approval must come (tier, over-limit). */
    private List<Set<String>> mustInclude() {
        List<Set<String>> out = new ArrayList<>();
        tier.map(CostTier::approvalsFrom).filter(s -> !s.isEmpty()).ifPresent(out::add);
        overLimit.map(CostRule.OverLimit::approvalsFrom).filter(s -> !s.isEmpty())
                .filter(s -> !out.contains(s)).ifPresent(out::add);
        return out;
    }

    /**
     * The approvals block: count, role groups, each_of, change requests and codeowners. With
     * {@code enforce: false} on it, what the cost tiers and over-limit path need still denies;
     * the rest would deny.
     */
    private List<Reason> approvals() {
        List<Reason> out = new ArrayList<>();
        boolean enforce = env.apply().approvals().enforce();
        Optional<Reason> missing = approvalsMissing(needed(), true);
        if (!enforce && missing.isPresent()) {
            Optional<Reason> costOnly = approvalsMissing(costNeeded(), false);
            missing = costOnly.isPresent() ? costOnly : missing.map(Reason::unenforced);
        }
        missing.ifPresent(out::add);
        // Rule: an outstanding change request from an approver blocks the apply.
        if (!tally.changesRequestedBy().isEmpty()) {
            out.addAll(enforced(List.of(Reason.of(ReasonCode.CHANGES_REQUESTED,
                    "changes requested by " + Text.and(tally.changesRequestedBy()),
                    Text.and(tally.changesRequestedBy()) + " must approve, or the review be "
                            + "dismissed")), enforce));
        }
        CodeOwnersCheck.reason(env, facts, anyone)
                .ifPresent(r -> out.add(enforce ? r : r.unenforced()));
        return out;
    }

    /** What the cost tier and over-limit path alone need. */
    private int costNeeded() {
        int n = tier.map(CostTier::approvals).orElse(0);
        return Math.max(n, overLimit.map(CostRule.OverLimit::approvals).orElse(0));
    }

    /** {@code withEnvironment}: also the environment's role groups and each_of. */
    private Optional<Reason> approvalsMissing(int needed, boolean withEnvironment) {
        int counted = tally.approvers().size();
        List<String> missing = new ArrayList<>();
        if (counted < needed) {
            missing.add("needs " + (needed - counted) + " more "
                    + (needed - counted == 1 ? "approval" : "approvals") + from());
        }
        for (Set<String> group : mustInclude()) {
            if (!ReviewTally.includesRole(policy, tally, group, facts)) {
                missing.add("needs an approval from " + Text.or(group));
            }
        }
        if (withEnvironment) {
            eachOfMissing().ifPresent(missing::add);
        }
        if (missing.isEmpty()) {
            return Optional.empty();
        }
        Set<String> eachOf = withEnvironment ? env.apply().approvals().eachOf() : Set.of();
        String needs = needed > 0 || eachOf.isEmpty()
                ? Text.plural(needed, "approval", "approvals") + from()
                        + (eachOf.isEmpty() ? "" : " and ") : "";
        String message = env.name() + " needs " + needs
                + (eachOf.isEmpty() ? "" : "one approval from each of " + Text.and(eachOf))
                + "; " + counted + " counted"
                + (tally.approvers().isEmpty() ? "" : " (" + Text.and(tally.approvers()) + ")")
                + (tally.ignored().isEmpty() ? ""
                        : "; not counted: " + String.join(", ", tally.ignored()));
        return Optional.of(Reason.of(ReasonCode.APPROVALS_MISSING, message,
                String.join("; ", missing)));
    }

    /**
     * Rule: each_of needs a counted approval (any role may approve for it) from every listed
     * role: "needs one approval from each of devops and security (missing: security)".
     */
    private Optional<String> eachOfMissing() {
        Set<String> eachOf = env.apply().approvals().eachOf();
        List<String> lacking = eachOf.stream()
                .filter(role -> !ReviewTally.includesRole(policy, anyone, Set.of(role), facts))
                .toList();
        if (lacking.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of("needs one approval from each of " + Text.and(eachOf) + " (missing: "
                + Text.and(lacking) + ")");
    }

    private String from() {
        Set<String> from = env.apply().approvals().from();
        return from.isEmpty() ? "" : " from " + Text.or(from);
    }

    /** Environment requirements, plus the cost tier's, plus over-limit's when over the limit. */
    private Requirements required() {
        Requirements r = env.apply().require();
        if (tier.isPresent()) {
            r = r.and(tier.get().require());
        }
        if (overLimit.isPresent()) {
            r = r.and(overLimit.get().require());
        }
        return r;
    }

    private List<Reason> requirements() {
        return RequirementGaps.find(required(), facts.pullRequest()).reasons();
    }

    /** Cost rules exist when the environment has a cost section or the policy has tiers. */
    private boolean costMatters() {
        return env.cost().isPresent() || !policy.costApprovals().isEmpty();
    }

    private Optional<CostRule.OverLimit> overLimitPath() {
        return isOverLimit() ? env.cost().flatMap(CostRule::overLimit) : Optional.empty();
    }

    private boolean isOverLimit() {
        Optional<BigDecimal> max = env.cost().flatMap(CostRule::maxMonthlyIncrease);
        return increase.isPresent() && max.isPresent() && increase.get().compareTo(max.get()) > 0;
    }

    private List<Reason> cost() {
        List<Reason> out = new ArrayList<>();
        // Rule: a cost rule with no cost known for the head commit fails closed.
        if (costMatters() && increase.isEmpty()) {
            List<String> other = reports.otherCurrencies();
            out.add(other.isEmpty() ? Reason.of(ReasonCode.COST_UNKNOWN, "no cost known at "
                    + shortSha() + " for " + Text.and(reports.withoutCost(facts.project()))
                    + ", so the cost rules of " + env.name() + " cannot be checked",
                    "run atlantis plan again so Tidegate receives Infracost's figures")
                    : Reason.of(ReasonCode.COST_UNKNOWN, "no cost known at " + shortSha()
                    + " for " + Text.and(reports.withoutCost(facts.project()))
                    + ": Infracost reported " + Text.and(other) + ", the policy's limits are in "
                    + policy.currency() + ", so the cost rules of " + env.name()
                    + " cannot be checked", "run Infracost with currency "
                    + policy.currency() + " (INFRACOST_CURRENCY) and atlantis plan again"));
        }
        if (!isOverLimit()) {
            return out;
        }
        BigDecimal max = env.cost().flatMap(CostRule::maxMonthlyIncrease).orElseThrow();
        String message = "the monthly cost increase " + Text.signedUsd(increase.get()) + " in "
                + env.name() + " exceeds the limit of " + Text.usd(max);
        if (overLimit.isEmpty()) {
            // Rule: without over_limit the limit is hard.
            out.add(Reason.of(ReasonCode.COST_LIMIT_EXCEEDED, message + " (a hard limit)",
                    "bring the increase down by " + Text.usd(increase.get().subtract(max))));
            return out;
        }
        List<String> missing = overLimitMissing(overLimit.get());
        out.add(missing.isEmpty()
                ? Reason.of(ReasonCode.COST_OVER_LIMIT_APPROVED, message
                        + "; the over-limit approvals and requirements are met")
                : Reason.of(ReasonCode.COST_LIMIT_EXCEEDED, message, String.join("; ", missing)));
        return out;
    }

    /** What the over_limit path still lacks: approvals, approver role, requirements. */
    private List<String> overLimitMissing(CostRule.OverLimit o) {
        List<String> missing = new ArrayList<>();
        int counted = tally.approvers().size();
        if (counted < o.approvals()) {
            missing.add("needs " + (o.approvals() - counted) + " more "
                    + (o.approvals() - counted == 1 ? "approval" : "approvals") + " ("
                    + o.approvals() + " in all)");
        }
        if (!o.approvalsFrom().isEmpty()
                && !ReviewTally.includesRole(policy, tally, o.approvalsFrom(), facts)) {
            missing.add("needs an approval from " + Text.or(o.approvalsFrom()));
        }
        missing.addAll(RequirementGaps.of(o.require(), facts.pullRequest()));
        return missing;
    }

    private List<Reason> budget() {
        Optional<CostRule.Budget> budget = env.cost().flatMap(CostRule::budget);
        if (budget.isEmpty()) {
            return List.of();
        }
        Optional<BigDecimal> total = reports.monthlyTotal();
        // Rule: with the environment's total unknown, the budget is skipped with a note.
        if (total.isEmpty()) {
            return List.of(Reason.of(ReasonCode.BUDGET_UNKNOWN, "the budget of " + env.name()
                    + " was not checked: its new monthly total is unknown"));
        }
        BigDecimal monthly = budget.get().monthly();
        // Rule: a new total over `monthly` denies; over warn_at_percent only warns.
        if (total.get().compareTo(monthly) > 0) {
            return List.of(Reason.of(ReasonCode.BUDGET_EXCEEDED, "the new monthly total "
                    + Text.usd(total.get()) + " of " + env.name() + " exceeds its budget of "
                    + Text.usd(monthly), "bring the total down by "
                    + Text.usd(total.get().subtract(monthly))));
        }
        if (total.get().compareTo(budget.get().warnAbove()) > 0) {
            return List.of(Reason.of(ReasonCode.BUDGET_WARNING, "the new monthly total "
                    + Text.usd(total.get()) + " of " + env.name() + " is above "
                    + budget.get().warnAtPercent().stripTrailingZeros().toPlainString()
                    + "% of its budget of " + Text.usd(monthly)));
        }
        return List.of();
    }

    private List<Reason> resources() {
        if (env.resources().isEmpty()) {
            return List.of();
        }
        Optional<Map<String, Integer>> created = reports.createdByType();
        // Rule: resource limits with no plan known for the head commit fail closed.
        if (created.isEmpty()) {
            return List.of(Reason.of(ReasonCode.RESOURCES_UNKNOWN, "no plan known at "
                    + shortSha() + " for " + Text.and(reports.withoutPlan(facts.project()))
                    + ", so the resource limits of " + env.name() + " cannot be checked",
                    "run atlantis plan again so Tidegate receives the plan"));
        }
        List<Reason> out = new ArrayList<>();
        for (Assessment.ResourceStatus s : resourceStatus()) {
            if (s.isExceeded()) {
                out.add(Reason.of(ReasonCode.RESOURCE_LIMIT_EXCEEDED, "this PR creates "
                        + s.created() + " " + s.key() + " in " + env.name() + "; at most "
                        + s.max() + " may be created per PR", "create at most " + s.max()
                        + " " + s.key() + " (" + (s.created() - s.max()) + " fewer)"));
            }
        }
        return out;
    }

    private Optional<Reason> lock() {
        return otherLockHolder().map(holder -> Reason.of(ReasonCode.LOCK_HELD, env.name()
                + " is locked by " + holder + ": one apply at a time",
                "wait until " + holder + "'s apply finishes or its lock expires ("
                        + env.apply().lockTtl().map(Durations::format).orElse("") + ")"));
    }

    /** Rule: a lock held by this same PR does not block it. */
    private Optional<String> otherLockHolder() {
        if (env.apply().lockTtl().isEmpty()) {
            return Optional.empty();
        }
        String self = facts.pullRequest().key();
        return facts.locks().stream()
                .filter(l -> l.environment().equals(env.name()) && !l.holder().equals(self))
                .map(Lock::holder).findFirst();
    }

    private Assessment.ApprovalStatus approvalStatus() {
        return new Assessment.ApprovalStatus(tally.approvers().size(), needed(), tally.approvers(),
                env.apply().approvals().from(), mustInclude(), tally.ignored(),
                tally.changesRequestedBy());
    }

    private Assessment.CostStatus costStatus() {
        Optional<CostRule> c = env.cost();
        return new Assessment.CostStatus(increase, c.flatMap(CostRule::maxMonthlyIncrease),
                reports.monthlyTotal(), c.flatMap(CostRule::budget).map(CostRule.Budget::monthly),
                c.flatMap(CostRule::budget).map(CostRule.Budget::warnAbove), reports.projects());
    }

    private List<Assessment.ResourceStatus> resourceStatus() {
        Optional<Map<String, Integer>> created = reports.createdByType();
        if (created.isEmpty()) {
            return List.of();
        }
        List<Assessment.ResourceStatus> out = new ArrayList<>();
        for (ResourceLimit limit : env.resources()) {
            int n = created.get().entrySet().stream().filter(e -> limit.counts(e.getKey()))
                    .mapToInt(Map.Entry::getValue).sum();
            out.add(new Assessment.ResourceStatus(limit.key(), n, limit.max()));
        }
        return out;
    }

    private String shortSha() {
        return shortSha(facts);
    }

    static String shortSha(Facts facts) {
        String sha = facts.pullRequest().headSha();
        return sha.length() > 7 ? sha.substring(0, 7) : sha;
    }
}
