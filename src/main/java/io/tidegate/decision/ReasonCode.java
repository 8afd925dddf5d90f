package io.tidegate.decision;

import java.util.Locale;
import java.util.Optional;

/**
 * The stable codes of decision reasons ({@link #key()} is the spelling in policy tests, JSON,
 * comments and audit records: {@code approvals-missing}). Blocking codes make a decision a deny;
 * the others are notes an allow may carry. This enum is the only source of codes: the engine's
 * rules, the gate's refusals ({@link GateRefusal}), audit rows, replay and
 * {@code policies/README.md}'s reason table (checked by {@code ReasonTableTest}) all use it.
 */
public enum ReasonCode {
    /**
     * The policy file on disk is invalid: every apply is denied (and every plan too while no
     * valid policy was ever loaded).
     */
    POLICY_UNAVAILABLE(true),
    NO_ENVIRONMENT(true),
    COMMAND_DISABLED(true),
    ACTOR_NOT_ALLOWED(true),
    BRANCH_NOT_ALLOWED(true),
    DRAFT_PR(true),
    APPROVALS_MISSING(true),
    CHANGES_REQUESTED(true),
    LABEL_MISSING(true),
    CHECKLIST_INCOMPLETE(true),
    SECTION_MISSING(true),
    WINDOW_CLOSED(true),
    FREEZE(true),
    COST_LIMIT_EXCEEDED(true),
    COST_UNKNOWN(true),
    BUDGET_EXCEEDED(true),
    RESOURCE_LIMIT_EXCEEDED(true),
    RESOURCES_UNKNOWN(true),
    LOCK_HELD(true),
    /** A plan rule with {@code deny} matches a change of the plan. */
    PLAN_RULE_DENIED(true),
    /** A plan rule matches and its approvals are not (all) given. */
    PLAN_RULE_APPROVALS_MISSING(true),
    /** A plan rule matches and its labels, checklist or sections are missing. */
    PLAN_RULE_REQUIREMENTS_MISSING(true),
    /** Plan rules apply and the plan's resource changes at the head commit are unknown. */
    PLAN_UNKNOWN(true),
    /** A changed file has code owners and none of them approved. */
    CODEOWNERS_APPROVAL_MISSING(true),
    /** No successful apply of the same change in the environment promotion names. */
    PROMOTION_MISSING(true),
    /** The same change succeeded there, less than the soak time ago. */
    PROMOTION_SOAKING(true),
    /**
     * An on-demand freeze of the environment is in force ({@code tidegate freeze}, the API).
     * Distinct from {@link #FREEZE}, a closed date of the window's calendar.
     */
    FREEZE_ACTIVE(true),
    /** With {@code repos:}, no entry's {@code match} fits the PR's repository. */
    REPO_NOT_GOVERNED(true),
    /**
     * Gate refusal: Atlantis applies another commit than the pull request's head, whose
     * approvals and reports would not be the ones judged ({@link GateRefusal#headMoved}).
     */
    HEAD_MOVED(true, true),
    /** Gate refusal: the run has no {@code USER_NAME}, so nobody can be judged. */
    ACTOR_UNKNOWN(true, true),
    /** Gate refusal: the facts could not be gathered from GitHub or the store in time. */
    FACTS_UNAVAILABLE(true, true),
    /** An override lifts the window for this head commit. */
    OVERRIDE_ACTIVE(false),
    /** The environment's new monthly total is above the budget's warning share. */
    BUDGET_WARNING(false),
    /** The budget could not be checked: some project's monthly total is unknown. */
    BUDGET_UNKNOWN(false),
    /** The PR exceeds the cost limit and meets the policy's over_limit path. */
    COST_OVER_LIMIT_APPROVED(false);

    private final boolean blocking;
    private final boolean gateRefusal;

    ReasonCode(boolean blocking) {
        this(blocking, false);
    }

    ReasonCode(boolean blocking, boolean gateRefusal) {
        this.blocking = blocking;
        this.gateRefusal = gateRefusal;
    }

    public boolean isBlocking() {
        return blocking;
    }

    /**
     * Whether the gate gives this deny before the engine is asked ({@link GateRefusal}): the
     * engine never returns it, so no policy test can expect it.
     */
    public boolean isGateRefusal() {
        return gateRefusal;
    }

    public String key() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static Optional<ReasonCode> fromKey(String key) {
        for (ReasonCode c : values()) {
            if (c.key().equals(key)) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }
}
