package io.tidegate.review;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import io.tidegate.decision.Assessment;
import io.tidegate.decision.Decision;
import io.tidegate.decision.ProjectRef;
import io.tidegate.decision.Reason;
import io.tidegate.decision.ReasonCode;

/**
 * What an apply of the PR's projects in one environment would meet now, for the sticky comment
 * and the {@code tidegate/<environment>} status. Decided per project for nobody in particular:
 * who may run the apply is a question about the person commenting, not about the PR, so
 * {@link ReasonCode#ACTOR_NOT_ALLOWED} is left out here and {@link #appliers()} says who may.
 *
 * @param environment the policy's name, or empty for projects no environment matches
 * @param appliers    the roles {@code apply.allow} names (empty: anyone)
 * @param decisions   one apply decision per project, in report order
 */
public record EnvironmentReview(
        java.util.Optional<String> environment,
        Set<String> appliers,
        List<Decision> decisions) {
    /** Blocking codes a person can clear by waiting or asking (status {@code pending}). */
    static final Set<ReasonCode> WAITING = EnumSet.of(ReasonCode.APPROVALS_MISSING,
            ReasonCode.CHANGES_REQUESTED, ReasonCode.LABEL_MISSING,
            ReasonCode.CHECKLIST_INCOMPLETE, ReasonCode.SECTION_MISSING,
            ReasonCode.WINDOW_CLOSED, ReasonCode.FREEZE, ReasonCode.LOCK_HELD,
            ReasonCode.FREEZE_ACTIVE,
            ReasonCode.DRAFT_PR);

    /** Ready, waiting for people or time, or blocked by a hard limit. */
    public enum Verdict { READY, WAITING, BLOCKED }

    public EnvironmentReview {
        Objects.requireNonNull(environment, "environment == null");
        appliers = java.util.Collections.unmodifiableSet(new java.util.LinkedHashSet<>(appliers));
        decisions = List.copyOf(decisions);
        if (decisions.isEmpty()) {
            throw new IllegalArgumentException("an environment review needs a decision");
        }
    }

    public String name() {
        return environment.orElse("(no environment)");
    }

    public List<ProjectRef> projects() {
        return decisions.stream().map(d -> d.assessment().project()).toList();
    }

    /** The environment-wide figures (approvals, window, cost sums) are the same per project. */
    public Assessment assessment() {
        return decisions.get(0).assessment();
    }

    /** Blocking reasons of every project, each message once, in decision order. */
    public List<Reason> blocking() {
        return distinct(true);
    }

    /** Non-blocking notes (override active, budget warning...), each once. */
    public List<Reason> notes() {
        return distinct(false);
    }

    public Verdict verdict() {
        List<Reason> b = blocking();
        if (b.isEmpty()) {
            return Verdict.READY;
        }
        return b.stream().allMatch(r -> WAITING.contains(r.code())) ? Verdict.WAITING
                : Verdict.BLOCKED;
    }

    private List<Reason> distinct(boolean blocking) {
        Map<String, Reason> out = new LinkedHashMap<>();
        for (Decision d : decisions) {
            for (Reason r : d.reasons()) {
                if (r.isBlocking() == blocking && r.code() != ReasonCode.ACTOR_NOT_ALLOWED) {
                    out.putIfAbsent(r.key() + "\n" + r.message(), r);
                }
            }
        }
        return new ArrayList<>(out.values());
    }
}
