package io.tidegate.review;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import io.tidegate.decision.Command;
import io.tidegate.decision.Decision;
import io.tidegate.decision.DecisionEngine;
import io.tidegate.decision.ProjectRef;
import io.tidegate.github.CommitStatus;
import io.tidegate.policy.Environment;
import io.tidegate.policy.PolicySet;
import io.tidegate.store.CostReport;
import io.tidegate.store.Store;
import io.tidegate.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Evaluates a pull request as an apply would meet it now and queues what GitHub should show: the
 * sticky comment and one {@code tidegate/<environment>} status per environment the PR leads to.
 * Nothing is written here: effects go to the outbox ({@link GitHubEffects}).
 *
 * <p>Which environments get a status: those of the projects Atlantis reported for the head
 * commit, plus every environment whose apply is enabled and whose {@code branches} allow the PR's
 * base (so branch protection has a status to wait for before the first plan). Those with no
 * project in the PR are {@code success}: there is nothing of theirs to apply.
 *
 * <p>When the facts cannot be gathered the evaluation throws (the inbox retries it with backoff);
 * if the event told the head commit, the statuses the store knows for it become {@code error}
 * first, so nothing stays green on facts nobody could check.
 */
public final class PullRequestReview {
    private static final Logger log = LoggerFactory.getLogger(PullRequestReview.class);
    private static final com.fasterxml.jackson.databind.ObjectMapper BOARD_JSON =
            ReviewBoard.mapper();

    private final SnapshotSource snapshots;
    private final PolicySource policies;
    private final Store store;
    private final GitHubEffects effects;
    private final PullRequestUrls urls;
    private final Clock clock;

    public PullRequestReview(SnapshotSource snapshots, PolicySource policies, Store store,
            GitHubEffects effects, PullRequestUrls urls, Clock clock) {
        this.snapshots = Objects.requireNonNull(snapshots, "snapshots == null");
        this.policies = Objects.requireNonNull(policies, "policies == null");
        this.store = Objects.requireNonNull(store, "store == null");
        this.effects = Objects.requireNonNull(effects, "effects == null");
        this.urls = Objects.requireNonNull(urls, "urls == null");
        this.clock = Objects.requireNonNull(clock, "clock == null");
    }

    /** Evaluates with no head commit known from the event. */
    public void evaluate(String repo, int number, String trigger)
            throws FactsUnavailableException {
        evaluate(repo, number, trigger, Optional.empty());
    }

    /**
     * @param trigger   the inbox event id: effects are keyed by it, so handling the event again
     *                  queues nothing twice
     * @param knownHead the head commit the event reported, for statuses when facts fail
     */
    public void evaluate(String repo, int number, String trigger, Optional<String> knownHead)
            throws FactsUnavailableException {
        Instant now = clock.instant();
        PolicySet policy = policies.current();
        PullRequestSnapshot snapshot;
        try {
            snapshot = snapshots.snapshot(repo, number, Set.of(), now);
        } catch (FactsUnavailableException e) {
            knownHead.ifPresent(sha -> markUnavailable(repo, number, sha, trigger, now));
            throw e;
        }
        ReviewSummary summary = summarize(policy, snapshot, now);
        Optional<String> target = Optional.of(urls.of(repo, number));
        // [web] the dashboard's "what waits" reads the last review of every open PR
        new ReviewBoard(store.reviewBoard(), BOARD_JSON).record(policy, snapshot, summary,
                target.get(), now);
        effects.comment(repo, number, StickyComment.render(summary), trigger, now);
        for (CommitStatus s : statuses(policy, snapshot, summary, target)) {
            effects.status(repo, summary.headSha(), s, trigger, now);
        }
        log.debug("evaluated {}#{} at {} ({} environments)", repo, number, summary.shortSha(),
                summary.environments().size());
    }

    /** [web] The PR was closed or merged: it leaves the dashboard's review board. */
    public void forget(String repo, int number) {
        new ReviewBoard(store.reviewBoard(), BOARD_JSON).forget(repo, number);
    }

    /** Decides an apply of every reported project for nobody in particular, per environment. */
    public static ReviewSummary summarize(PolicySet policy, PullRequestSnapshot s, Instant now) {
        Map<Optional<String>, List<Decision>> byEnv = new LinkedHashMap<>();
        for (ProjectRef project : s.projects()) {
            Decision d = DecisionEngine.decideFor(Command.APPLY, policy,
                    s.factsFor(Command.APPLY, project, ""), now);
            byEnv.computeIfAbsent(d.assessment().environment(), k -> new ArrayList<>()).add(d);
        }
        List<EnvironmentReview> envs = new ArrayList<>();
        // Policy order, then projects no environment matches.
        for (Environment env : policy.environments()) {
            List<Decision> ds = byEnv.get(Optional.of(env.name()));
            if (ds != null) {
                envs.add(new EnvironmentReview(Optional.of(env.name()), env.apply().allow(), ds));
            }
        }
        List<Decision> none = byEnv.get(Optional.<String>empty());
        if (none != null) {
            envs.add(new EnvironmentReview(Optional.empty(), Set.of(), none));
        }
        return new ReviewSummary(s.pullRequest().repo(), s.pullRequest().number(),
                s.pullRequest().headSha(), envs, s.reports());
    }

    private static List<CommitStatus> statuses(PolicySet policy, PullRequestSnapshot s,
            ReviewSummary summary, Optional<String> target) {
        List<CommitStatus> out = new ArrayList<>();
        Set<String> touched = new LinkedHashSet<>();
        for (EnvironmentReview e : summary.environments()) {
            e.environment().ifPresent(name -> {
                touched.add(name);
                out.add(StatusText.of(e, target));
            });
        }
        for (Environment env : policy.environments()) {
            if (touched.contains(env.name()) || !leadsTo(env, s.pullRequest().base())) {
                continue;
            }
            out.add(summary.isWaitingForPlan()
                    ? StatusText.waitingForPlan(env.name(), summary.shortSha(), target)
                    : StatusText.untouched(env.name(), target));
        }
        return out;
    }

    /** An environment a PR into {@code base} may apply to. */
    private static boolean leadsTo(Environment env, String base) {
        return env.apply().enabled() && (env.branches().isEmpty()
                || env.branches().contains(base));
    }

    private void markUnavailable(String repo, int number, String sha, String trigger,
            Instant now) {
        try {
            PolicySet policy = policies.current();
            Set<String> envs = new LinkedHashSet<>();
            for (CostReport r : store.costReports().forCommit(repo, number, sha)) {
                DecisionEngine.environmentFor(policy, r.project()).ifPresent(e -> envs.add(
                        e.name()));
            }
            Optional<String> target = Optional.of(urls.of(repo, number));
            for (String env : envs) {
                effects.status(repo, sha, StatusText.factsUnavailable(env, target), trigger, now);
            }
        } catch (StoreException e) {
            log.warn("could not mark the statuses of {}#{} as unavailable: {}", repo, number,
                    e.getMessage());
        }
    }
}
