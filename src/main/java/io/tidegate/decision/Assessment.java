package io.tidegate.decision;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What the engine found, as structured data for the sticky PR comment and the commit statuses:
 * the environment, approvals counted and needed, the window, cost against limit and budget,
 * created resources against limits, the active override and the lock. It is filled for the
 * apply picture even when the command is {@code plan} (so a comment can say what an apply would
 * need); parts that do not apply are empty. It is not the verdict: that is the {@link Decision}.
 *
 * @param environment empty when no environment matches the project
 * @param window      empty when the environment's apply has no window ({@code always})
 * @param cost        empty when no environment matches
 * @param lockHolder  the PR holding this environment's lock, when another PR holds it
 * @param planRules   each plan rule of the environment with the changes it matched
 * @param promotion   the promotion rule's state; empty when the environment has none
 * @param freeze      the on-demand freeze of the environment in force, if any
 */
public record Assessment(
        Command command,
        ProjectRef project,
        Optional<String> environment,
        ApprovalStatus approvals,
        Optional<WindowStatus> window,
        Optional<CostStatus> cost,
        List<ResourceStatus> resources,
        Optional<ActiveOverride> override,
        Optional<String> lockHolder,
        List<PlanRuleStatus> planRules,
        Optional<PromotionStatus> promotion,
        Optional<FreezeStatus> freeze) {
    /** An assessment without plan rules, promotion or an on-demand freeze. */
    public Assessment(Command command, ProjectRef project, Optional<String> environment,
            ApprovalStatus approvals, Optional<WindowStatus> window, Optional<CostStatus> cost,
            List<ResourceStatus> resources, Optional<ActiveOverride> override,
            Optional<String> lockHolder) {
        this(command, project, environment, approvals, window, cost, resources, override,
                lockHolder, List.of(), Optional.empty(), Optional.empty());
    }

    public Assessment {
        Objects.requireNonNull(command, "command == null");
        Objects.requireNonNull(project, "project == null");
        Objects.requireNonNull(environment, "environment == null");
        Objects.requireNonNull(approvals, "approvals == null");
        Objects.requireNonNull(window, "window == null");
        Objects.requireNonNull(cost, "cost == null");
        resources = List.copyOf(Objects.requireNonNull(resources, "resources == null"));
        Objects.requireNonNull(override, "override == null");
        Objects.requireNonNull(lockHolder, "lockHolder == null");
        planRules = List.copyOf(Objects.requireNonNull(planRules, "planRules == null"));
        Objects.requireNonNull(promotion, "promotion == null");
        Objects.requireNonNull(freeze, "freeze == null");
    }

    /**
     * One plan rule and what it matched in the PR's plans for the environment.
     *
     * @param matched  each matched change as {@code verb address}
     *                 ({@code replace module.db.aws_db_instance.main}); empty when none matched
     *                 or the plan is unknown
     * @param effect   {@code deny} or what it requires ({@code 1 approval from security,
     *                 label security-reviewed})
     * @param met      nothing matched, or what it requires is given
     * @param enforced false for {@code enforce: false}
     */
    public record PlanRuleStatus(String name, List<String> matched, String effect, boolean met,
            boolean enforced) {
        public PlanRuleStatus {
            Objects.requireNonNull(name, "name == null");
            matched = List.copyOf(Objects.requireNonNull(matched, "matched == null"));
            Objects.requireNonNull(effect, "effect == null");
        }
    }

    /**
     * The promotion rule of the environment.
     *
     * @param after   the environment the change must have succeeded in first
     * @param same    tree, commit or pr
     * @param since   when that apply finished (the earliest that counts); empty = none found
     * @param readyAt when this environment may apply: {@code since + soak}. A time edge for
     *                live re-evaluation while it is after the decision's moment; empty when no
     *                apply was found (only a new apply there can change that)
     * @param lifted  an override with {@code lifts: [window, promotion]} lifts it now
     */
    public record PromotionStatus(String after, String same, Optional<Instant> since,
            Optional<Instant> readyAt, boolean lifted, boolean enforced) {
        public PromotionStatus {
            Objects.requireNonNull(after, "after == null");
            Objects.requireNonNull(same, "same == null");
            Objects.requireNonNull(since, "since == null");
            Objects.requireNonNull(readyAt, "readyAt == null");
        }
    }

    /** The assessment when the project belongs to no environment. */
    static Assessment none(Command command, ProjectRef project) {
        return new Assessment(command, project, Optional.empty(), ApprovalStatus.NONE,
                Optional.empty(), Optional.empty(), List.of(), Optional.empty(), Optional.empty());
    }

    /**
     * Approvals for an apply in the environment.
     *
     * @param counted        how many approvals count
     * @param needed         max(environment count, cost tier, over-limit count)
     * @param approvers      logins whose approval counts, in review order
     * @param from           roles whose approvals count (empty = anyone's)
     * @param mustInclude    role groups each needing at least one counted approval (from cost
     *                       tiers and over-limit), e.g. {@code [[cto]]}
     * @param ignored        approvals that do not count, each with why ("kim: on an older commit")
     * @param changesRequestedBy approvers whose latest review requests changes
     */
    public record ApprovalStatus(
            int counted,
            int needed,
            List<String> approvers,
            Set<String> from,
            List<Set<String>> mustInclude,
            List<String> ignored,
            List<String> changesRequestedBy) {
        public static final ApprovalStatus NONE =
                new ApprovalStatus(0, 0, List.of(), Set.of(), List.of(), List.of(), List.of());

        public ApprovalStatus {
            approvers = List.copyOf(Objects.requireNonNull(approvers, "approvers == null"));
            // Keeps the policy's order, so the comment lists roles as the author wrote them.
            from = java.util.Collections.unmodifiableSet(new java.util.LinkedHashSet<>(
                    Objects.requireNonNull(from, "from == null")));
            mustInclude = List.copyOf(Objects.requireNonNull(mustInclude, "mustInclude == null"));
            ignored = List.copyOf(Objects.requireNonNull(ignored, "ignored == null"));
            changesRequestedBy = List.copyOf(
                    Objects.requireNonNull(changesRequestedBy, "changesRequestedBy == null"));
        }
    }

    /**
     * The environment's deployment window at the decision's moment.
     *
     * @param state            open, closed (outside open hours) or frozen (a closed date)
     * @param freezeReason     the closed entry's reason when frozen
     * @param nextOpening      the next instant it is open (the moment itself when open)
     * @param nextOpeningLocal the same in the window's zone: {@code Mon 2026-11-30 09:00 KST}
     * @param overridden       an active override lifts it
     */
    public record WindowStatus(
            String name,
            String timezone,
            io.tidegate.policy.Windows.Status state,
            Optional<String> freezeReason,
            Optional<Instant> nextOpening,
            Optional<String> nextOpeningLocal,
            boolean overridden) {
        public WindowStatus {
            Objects.requireNonNull(name, "name == null");
            Objects.requireNonNull(timezone, "timezone == null");
            Objects.requireNonNull(state, "state == null");
            Objects.requireNonNull(freezeReason, "freezeReason == null");
            Objects.requireNonNull(nextOpening, "nextOpening == null");
            Objects.requireNonNull(nextOpeningLocal, "nextOpeningLocal == null");
        }
    }

    /**
     * Cost in USD per month over the PR's projects in the environment at the head commit.
     * Empty amounts are unknown (never zero).
     *
     * @param warnAbove the total above which the budget warns
     * @param projects  how many projects of the PR were summed
     */
    public record CostStatus(
            Optional<BigDecimal> monthlyIncrease,
            Optional<BigDecimal> limit,
            Optional<BigDecimal> monthlyTotal,
            Optional<BigDecimal> budget,
            Optional<BigDecimal> warnAbove,
            int projects) {
        public CostStatus {
            Objects.requireNonNull(monthlyIncrease, "monthlyIncrease == null");
            Objects.requireNonNull(limit, "limit == null");
            Objects.requireNonNull(monthlyTotal, "monthlyTotal == null");
            Objects.requireNonNull(budget, "budget == null");
            Objects.requireNonNull(warnAbove, "warnAbove == null");
        }
    }

    /** Resources created by the PR in the environment against one {@code max_created} limit. */
    public record ResourceStatus(String key, int created, int max) {
        public ResourceStatus {
            Objects.requireNonNull(key, "key == null");
        }

        public boolean isExceeded() {
            return created > max;
        }
    }

    /** A window override that applies now: who gave it, why, and until when. */
    public record ActiveOverride(String user, String reason, Instant at, Instant expires) {
        public ActiveOverride {
            Objects.requireNonNull(user, "user == null");
            Objects.requireNonNull(reason, "reason == null");
            Objects.requireNonNull(at, "at == null");
            Objects.requireNonNull(expires, "expires == null");
        }
    }

    /**
     * An on-demand freeze in force at the decision's moment. {@code until} is a time edge: at
     * that instant the verdict can change with no new fact (empty: until someone unfreezes).
     *
     * @param untilLocal {@code until} in the window's (else the policy's) zone:
     *                   {@code Sun 2026-12-27 09:00 KST}
     * @param lifted     the freeze is overridable and an active window override lifts it
     */
    public record FreezeStatus(
            String by,
            String reason,
            Instant since,
            Optional<Instant> until,
            Optional<String> untilLocal,
            boolean overridable,
            boolean lifted) {
        public FreezeStatus {
            Objects.requireNonNull(by, "by == null");
            Objects.requireNonNull(reason, "reason == null");
            Objects.requireNonNull(since, "since == null");
            Objects.requireNonNull(until, "until == null");
            Objects.requireNonNull(untilLocal, "untilLocal == null");
        }
    }
}
