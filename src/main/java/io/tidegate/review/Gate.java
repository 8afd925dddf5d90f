package io.tidegate.review;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import io.tidegate.atlantis.GateAnswer;
import io.tidegate.atlantis.GateRequest;
import io.tidegate.atlantis.GateService;
import io.tidegate.atlantis.RunContext;
import io.tidegate.atlantis.Stage;
import io.tidegate.decision.Command;
import io.tidegate.decision.Decision;
import io.tidegate.decision.DecisionEngine;
import io.tidegate.decision.Facts;
import io.tidegate.decision.GateRefusal;
import io.tidegate.decision.LockRace;
import io.tidegate.decision.PullRequest;
import io.tidegate.github.GitHubDeadline;
import io.tidegate.github.GitHubException;
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
 * <p>Who is judged is always {@code USER_NAME}, as Atlantis itself does: the commenter of a
 * comment command, and during autoplan the login that sent the {@code pull_request} event (the
 * opener, the pusher, whoever clicked "Update branch", or a bot such as {@code renovate[bot]}),
 * never Atlantis's own login ({@code ParseGithubPullEvent}, {@code Sender.GetLogin()},
 * server/events/event_parser.go, Atlantis v0.47.0-7-g078d0a820). Pushing code a plan will run is
 * what plan permission protects, so a bot plans only if a role names it. An empty
 * {@code USER_NAME} (a run started through Atlantis's API) is {@code actor-unknown}.
 *
 * <p>GitHub may take at most {@code githubBudget} of a gate call ({@link GitHubDeadline}), so
 * the hook, which waits {@code TIDEGATE_TIMEOUT} (20 s by default), always gets Tidegate's
 * answer: a {@code facts-unavailable} deny naming GitHub as slow rather than a bare timeout.
 *
 * <p>{@code import} and {@code state_rm} stages are judged as applies of the project and
 * recorded under their own name; they take no lock and start no deployment, because Atlantis
 * reports no result for them (only {@code doApply} sends the {@code http} webhook,
 * server/events/project_command_runner.go), but a lock another PR holds still denies them.
 */
public final class Gate implements GateService {
    private static final Logger log = LoggerFactory.getLogger(Gate.class);

    /** GitHub's share of a gate call by default: the hook's default 20 s leaves 8 s for us. */
    public static final Duration DEFAULT_GITHUB_BUDGET = Duration.ofSeconds(12);

    private final ReviewParts parts;
    private final Duration githubBudget;
    private final GateMeters meters;

    public Gate(ReviewParts parts, Duration githubBudget) {
        this.parts = Objects.requireNonNull(parts, "parts == null");
        this.githubBudget = Objects.requireNonNull(githubBudget, "githubBudget == null");
        this.meters = new GateMeters(parts.registry());
    }

    public Gate(ReviewParts parts) {
        this(parts, DEFAULT_GITHUB_BUDGET);
    }

    @Override
    public GateAnswer decide(GateRequest request) {
        return meters.time(() -> judge(request, parts.clock().instant()));
    }

    private GateAnswer judge(GateRequest r, Instant now) {
        RunContext c = r.context();
        PolicySet policy = parts.policies().current().forRepo(c.baseRepo().fullName());
        GateRefusal.Run run = new GateRefusal.Run(r.command(), c.project(), r.stage().word(),
                r.stage().comment(), c.userName(), c.pull().headCommit());
        Optional<Decision> nobody = GateRefusal.actorUnknown(policy, run);
        if (nobody.isPresent()) {
            return refuse(r, policy, nobody.get(), now);
        }
        PullRequestSnapshot snapshot;
        try {
            snapshot = GitHubDeadline.within(githubBudget, () -> parts.snapshots().snapshot(
                    c.baseRepo().fullName(), c.pull().number(), Set.of(c.userName()), now));
        } catch (FactsUnavailableException e) {
            return refuse(r, policy, factsUnavailable(policy, run, e), now);
        }
        Optional<Decision> moved = GateRefusal.headMoved(policy, run,
                snapshot.pullRequest().headSha());
        if (moved.isPresent()) {
            return refuse(r, policy, moved.get(), now);
        }
        Facts facts = snapshot.factsFor(r.command(), c.project(), c.userName());
        return conclude(policy, facts, DecisionEngine.decide(policy, facts, now), r, now);
    }

    /** The facts are missing; a GitHub slower than the budget is named as such. */
    private Decision factsUnavailable(PolicySet policy, GateRefusal.Run run,
            FactsUnavailableException e) {
        boolean slow = e.getCause() instanceof GitHubException g
                && g.failure() == GitHubException.Failure.TIMEOUT;
        return slow ? GateRefusal.gitHubTooSlow(policy, run, githubBudget, e.getMessage())
                : GateRefusal.factsUnavailable(policy, run, e.getMessage());
    }

    /** Lock, record, start the deployment, notify, answer. */
    private GateAnswer conclude(PolicySet policy, Facts facts, Decision decision, GateRequest r,
            Instant now) {
        RunContext c = r.context();
        Optional<Environment> env = DecisionEngine.environmentFor(policy, facts.project());
        Optional<HeldLock> taken = Optional.empty();
        Optional<LockRace> raced = Optional.empty();
        Decision d = decision;
        // Only a reported stage (apply) may take the lock: nothing would give it back otherwise.
        boolean deploys = facts.command() == Command.APPLY && r.stage().isReportedByAtlantis();
        if (d.isAllowed() && deploys && env.isPresent()
                && env.get().apply().lockTtl().isPresent()) {
            LockResult lock = parts.deployments().lock(env.get().name(),
                    facts.pullRequest().key(), env.get().apply().lockTtl().get(), now);
            if (lock instanceof LockResult.Busy busy) {
                raced = Optional.of(race(busy.lock()));
                d = raced.get().deny(d);
            } else {
                taken = Optional.of(lock.lock());
            }
        }
        try {
            parts.recorder().record(policy, facts, d, now, raced, r.stage().word());
            if (d.isAllowed() && deploys) {
                parts.deployments().start(facts, env.map(Environment::name).orElse("none"), now);
            }
        } catch (RuntimeException e) {
            // Unrecorded, the apply must not run: give the lock back and fail (closed).
            taken.ifPresent(l -> parts.deployments().releaseIfTakenAt(l, now));
            throw e;
        }
        if (deploys || facts.command() == Command.PLAN) {
            notify(policy, facts, d, c);
        }
        taken.ifPresent(this::reviewOthers);
        return GateText.answer(d, taken, detailsUrl(c), r.stage().word(), c.userName());
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
    private static LockRace race(HeldLock held) {
        return new LockRace(held.owner(), held.expiresAt());
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

    /** Records and answers a refusal ({@link GateRefusal}): the engine was not asked. */
    private GateAnswer refuse(GateRequest r, PolicySet policy, Decision refusal, Instant now) {
        RunContext c = r.context();
        Facts claimed = new Facts(r.command(), c.project(), new PullRequest(
                c.baseRepo().fullName(), c.pull().number(), c.pull().baseBranch(),
                c.pull().headCommit(), c.pull().author(), false, Set.of(), ""),
                c.userName(), java.util.Map.of(), List.of(), List.of(), List.of(), List.of());
        try {
            parts.recorder().recordRefusal(policy, claimed, refusal, now, r.stage().word());
        } catch (RuntimeException e) {
            // A deny stays a deny even when it cannot be written down.
            log.warn("refusal of {}#{} not recorded: {}", c.baseRepo().fullName(),
                    c.pull().number(), e.toString());
        }
        log.info("gate refused {} of {}#{} {}: {}", r.stage().word(),
                c.baseRepo().fullName(), c.pull().number(), c.project().label(),
                refusal.codes().get(0));
        return GateText.refused(refusal, r.stage().word(), detailsUrl(c));
    }

    /** The PR's page; the repository's for an API run that named no pull request. */
    private static String detailsUrl(RunContext c) {
        String repo = "https://github.com/" + c.baseRepo().fullName();
        if (!c.pull().url().isBlank()) {
            return c.pull().url();
        }
        return c.pull().isPullRequest() ? repo + "/pull/" + c.pull().number() : repo;
    }
}
