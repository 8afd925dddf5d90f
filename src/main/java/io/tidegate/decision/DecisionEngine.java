package io.tidegate.decision;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import io.tidegate.policy.Environment;
import io.tidegate.policy.PolicySet;

/**
 * Decides whether a {@code plan} or {@code apply} may run, from the policy, the gathered facts
 * and the moment. Pure: no I/O, no clock, no logging; the same arguments give the same
 * decision. Every reason is returned at once so a developer fixes everything in one round.
 *
 * <p>Plan needs: an environment, plan enabled there, the actor in {@code plan.allow}. Apply
 * needs, besides an environment and apply enabled: the actor in {@code apply.allow}, an allowed
 * base branch, a non-draft PR, enough counted approvals and no outstanding change request,
 * the required labels, checklist and sections, an open (or overridden) window, cost and
 * resources known and within limits and budget, and no other PR holding the lock.
 *
 * <pre>
 * Decision d = DecisionEngine.decide(policy, facts, clock.instant());
 * if (d instanceof Decision.Deny) { ... d.reasons() ... }
 * </pre>
 */
public final class DecisionEngine {
    private DecisionEngine() {}

    /**
     * Decides the command in the facts. With {@code repos:}, the policy of the PR's repository
     * decides ({@link PolicySet#forRepo}); the caller may pass either.
     */
    public static Decision decide(PolicySet root, Facts facts, Instant now) {
        Objects.requireNonNull(root, "policy == null");
        Objects.requireNonNull(facts, "facts == null");
        Objects.requireNonNull(now, "now == null");
        PolicySet policy = root.forRepo(facts.pullRequest().repo());
        if (policy.ungoverned().isPresent()) {
            // Rule: a repository no repos entry matches is denied, never given a default.
            return new Decision.Deny(List.of(Reason.of(ReasonCode.REPO_NOT_GOVERNED,
                    "no entry of the policy's repos matches " + facts.pullRequest().repo()
                            + ", so no policy governs it",
                    "add a repos entry whose match covers " + facts.pullRequest().repo())),
                    Assessment.none(facts.command(), facts.project()));
        }
        Optional<Environment> env = environmentFor(policy, facts.project());
        if (env.isEmpty()) {
            // Rule: a project no environment matches is never run; the policy must name it.
            // Without any valid policy (the stand-in has no environments) that is the reason.
            Reason why = policy.fileProblem().map(DecisionEngine::policyUnavailable)
                    .orElseGet(() -> noEnvironment(facts.project()));
            return new Decision.Deny(List.of(why),
                    Assessment.none(facts.command(), facts.project()));
        }
        Evaluation e = new Evaluation(policy, env.get(), facts, now);
        List<Reason> reasons = facts.command() == Command.PLAN ? e.planReasons() : e.applyReasons();
        if (facts.command() == Command.APPLY && policy.fileProblem().isPresent()) {
            // Rule: while the policy file on disk is invalid, no apply runs: the edit may have
            // been a tightening the last good policy does not know (never fail open).
            reasons = new java.util.ArrayList<>(reasons);
            reasons.add(0, policyUnavailable(policy.fileProblem().get()));
        }
        Assessment assessment = e.assessment();
        return reasons.stream().anyMatch(Reason::isBlocking)
                ? new Decision.Deny(reasons, assessment)
                : new Decision.Allow(reasons, assessment);
    }

    /**
     * Decides as if {@code command} had been run: e.g. what an apply would need, for the PR
     * comment after a plan.
     */
    public static Decision decideFor(Command command, PolicySet policy, Facts facts, Instant now) {
        return decide(policy, facts.withCommand(command), now);
    }

    /** The environment a project belongs to: the first in policy order whose match fits. */
    public static Optional<Environment> environmentFor(PolicySet policy, ProjectRef project) {
        return policy.environmentFor(project.name(), project.dir(), project.workspace());
    }

    private static Reason policyUnavailable(String problem) {
        return Reason.of(ReasonCode.POLICY_UNAVAILABLE, "the policy file is invalid, so no apply "
                + "may run until it is fixed: " + problem,
                "fix the policy file (tidegate validate); Tidegate reloads it by itself");
    }

    private static Reason noEnvironment(ProjectRef p) {
        return Reason.of(ReasonCode.NO_ENVIRONMENT, "no environment of the policy matches project "
                + (p.name().isEmpty() ? "(unnamed)" : p.name()) + " (dir " + p.dir()
                + ", workspace " + p.workspace() + ")",
                "add an environment whose match covers it to the policy");
    }
}
