package io.tidegate.review;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import io.tidegate.atlantis.GateAnswer;
import io.tidegate.atlantis.GateRequest;
import io.tidegate.atlantis.GateService;
import io.tidegate.atlantis.RunContext;
import io.tidegate.decision.Assessment;
import io.tidegate.decision.Command;
import io.tidegate.decision.Decision;
import io.tidegate.decision.DecisionEngine;
import io.tidegate.decision.Facts;
import io.tidegate.decision.PullRequest;
import io.tidegate.decision.Reason;
import io.tidegate.decision.ReasonCode;
import io.tidegate.policy.Environment;
import io.tidegate.policy.PolicySet;
import io.tidegate.store.HeldLock;
import io.tidegate.store.LockResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pre-apply (and pre-plan) gate: fresh facts, the policy's decision, the environment lock
 * for an allowed apply, a running deployment record, the audit row and the notification the
 * decision is worth, then the text Atlantis shows. Fails closed: no commenter, no facts or a
 * commit other than the PR's head is a deny; a store failure while recording is an exception
 * (a 5xx, which {@code tidegate-hook} treats as a deny).
 *
 * <p>During autoplan Atlantis runs the plan as its own bot user ({@code USER_NAME}, configured
 * as {@code TIDEGATE_ATLANTIS_USER}): the plan is then judged as the PR author's.
 */
public final class Gate implements GateService {
    private static final Logger log = LoggerFactory.getLogger(Gate.class);

    private final ReviewParts parts;
    private final String atlantisUser;
    private final GateMeters meters;

    public Gate(ReviewParts parts, String atlantisUser) {
        this.parts = Objects.requireNonNull(parts, "parts == null");
        this.atlantisUser = Objects.requireNonNull(atlantisUser, "atlantisUser == null");
        this.meters = new GateMeters(parts.registry());
    }

    @Override
    public GateAnswer decide(GateRequest request) {
        return meters.time(() -> judge(request, parts.clock().instant()));
    }

    private GateAnswer judge(GateRequest r, Instant now) {
        RunContext c = r.context();
        PolicySet policy = parts.policies().current();
        // Rule: an apply with no commenter came through Atlantis's API; nobody to judge.
        if (r.command() == Command.APPLY && c.userName().isBlank()) {
            return refuse(r, policy, DecisionRecorder.ACTOR_UNKNOWN, "the apply has no "
                    + "commenter (USER_NAME is empty: triggered through Atlantis's API)",
                    "comment atlantis apply on the pull request", now);
        }
        PullRequestSnapshot snapshot;
        try {
            snapshot = parts.snapshots().snapshot(c.baseRepo().fullName(), c.pull().number(),
                    logins(r), now);
        } catch (FactsUnavailableException e) {
            return refuse(r, policy, DecisionRecorder.FACTS_UNAVAILABLE, "the facts could not "
                    + "be gathered: " + e.getMessage(), "comment the command again in a "
                    + "minute; if it persists, check Tidegate's access to GitHub", now);
        }
        // Rule: approvals and reports count for GitHub's head commit only (seed 004).
        if (r.command() == Command.APPLY
                && !snapshot.pullRequest().headSha().equals(c.pull().headCommit())) {
            return refuse(r, policy, DecisionRecorder.HEAD_MOVED, "Atlantis applies commit "
                    + c.pull().headCommit() + " but the pull request's head is now "
                    + snapshot.pullRequest().headSha(), "comment atlantis plan for the new head"
                    + " commit, then atlantis apply", now);
        }
        Facts facts = snapshot.factsFor(r.command(), c.project(), actor(r, snapshot));
        return conclude(policy, facts, DecisionEngine.decide(policy, facts, now), c, now);
    }

    /** Lock, record, start the deployment, notify, answer. */
    private GateAnswer conclude(PolicySet policy, Facts facts, Decision decision, RunContext c,
            Instant now) {
        Optional<Environment> env = DecisionEngine.environmentFor(policy, facts.project());
        Optional<HeldLock> taken = Optional.empty();
        Decision d = decision;
        if (d.isAllowed() && facts.command() == Command.APPLY && env.isPresent()
                && env.get().apply().lockTtl().isPresent()) {
            LockResult lock = parts.deployments().lock(env.get().name(),
                    facts.pullRequest().key(), env.get().apply().lockTtl().get(), now);
            if (lock instanceof LockResult.Busy busy) {
                d = lockHeld(d, busy.lock());
            } else {
                taken = Optional.of(lock.lock());
            }
        }
        try {
            parts.recorder().record(facts, d, now);
            if (d.isAllowed() && facts.command() == Command.APPLY) {
                parts.deployments().start(facts, env.map(Environment::name).orElse("none"), now);
            }
        } catch (RuntimeException e) {
            // Unrecorded, the apply must not run: give the lock back and fail (closed).
            taken.ifPresent(l -> parts.deployments().releaseIfTakenAt(l, now));
            throw e;
        }
        notify(policy, facts, d, c);
        taken.ifPresent(this::reviewOthers);
        return GateText.answer(d, taken, detailsUrl(c));
    }

    /**
     * The other open PRs of the environment now wait for this lock: their statuses must stop
     * showing green. Queuing is best effort (the gate denies them anyway, fail closed), so a
     * failure here never fails this apply, whose lock and deployment are already recorded.
     */
    private void reviewOthers(HeldLock lock) {
        try {
            parts.reviews().reviewEnvironment(lock.environment(), ReviewTrigger.LOCKED);
        } catch (RuntimeException e) {
            log.warn("could not queue the re-review of {}'s other pull requests: {}",
                    lock.environment(), e.toString());
        }
    }

    /** The engine saw no holder, but another PR won the lock in the meantime. */
    private static Decision lockHeld(Decision allowed, HeldLock held) {
        Assessment a = allowed.assessment();
        List<Reason> reasons = new ArrayList<>(allowed.reasons());
        reasons.add(new Reason(ReasonCode.LOCK_HELD, a.environment().orElse("") + " is locked "
                + "by " + held.owner() + " (an apply in progress) until " + held.expiresAt(),
                Optional.of("wait for " + held.owner() + "'s apply to finish, then comment "
                        + "atlantis apply again")));
        return new Decision.Deny(reasons, new Assessment(a.command(), a.project(),
                a.environment(), a.approvals(), a.window(), a.cost(), a.resources(),
                a.override(), Optional.of(held.owner())));
    }

    private void notify(PolicySet policy, Facts facts, Decision d, RunContext c) {
        try {
            GateEvents.of(policy, facts, d, GateEvents.link(facts.pullRequest(), c.pull().url()))
                    .ifPresent(parts.publisher()::publish);
        } catch (RuntimeException e) {
            // The decision stands and is recorded; a lost notification must not turn it over.
            log.warn("notification for {} not queued: {}", facts.pullRequest().key(),
                    e.toString());
        }
    }

    private GateAnswer refuse(GateRequest r, PolicySet policy, String code, String why,
            String remedy, Instant now) {
        RunContext c = r.context();
        Facts claimed = new Facts(r.command(), c.project(), new PullRequest(
                c.baseRepo().fullName(), c.pull().number(), c.pull().baseBranch(),
                c.pull().headCommit(), c.pull().author(), false, Set.of(), ""),
                c.userName(), java.util.Map.of(), List.of(), List.of(), List.of(), List.of());
        String env = DecisionEngine.environmentFor(policy, c.project()).map(Environment::name)
                .orElse("none");
        try {
            parts.recorder().recordRefusal(claimed, env, code, why, now);
        } catch (RuntimeException e) {
            // A deny stays a deny even when it cannot be written down.
            log.warn("refusal of {}#{} not recorded: {}", c.baseRepo().fullName(),
                    c.pull().number(), e.toString());
        }
        log.info("gate refused {} of {}#{} {}: {}", r.command().word(),
                c.baseRepo().fullName(), c.pull().number(), c.project().label(), code);
        return GateText.refused(c.project(), r.command().word(), code, why, remedy,
                detailsUrl(c));
    }

    /** Who is judged: the commenter, or the PR author when Atlantis's bot autoplans. */
    private String actor(GateRequest r, PullRequestSnapshot snapshot) {
        return isAutoplan(r) ? snapshot.pullRequest().author() : r.context().userName();
    }

    /** A plan run by Atlantis itself (its bot user, or nobody): an autoplan on a push. */
    private boolean isAutoplan(GateRequest r) {
        String user = r.context().userName();
        return r.command() == Command.PLAN
                && (user.isBlank() || user.equalsIgnoreCase(atlantisUser));
    }

    private Set<String> logins(GateRequest r) {
        return isAutoplan(r) ? Set.of() : Set.of(r.context().userName());
    }

    private static String detailsUrl(RunContext c) {
        return c.pull().url().isBlank() ? "https://github.com/" + c.baseRepo().fullName()
                + "/pull/" + c.pull().number() : c.pull().url();
    }
}
