package io.tidegate.review;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.tidegate.decision.Command;
import io.tidegate.decision.Decision;
import io.tidegate.decision.DecisionEngine;
import io.tidegate.decision.ProjectRef;
import io.tidegate.decision.PullRequest;
import io.tidegate.decision.ReasonCode;
import io.tidegate.decision.TimeEdges;
import io.tidegate.github.CommitStatus;
import io.tidegate.policy.Environment;
import io.tidegate.policy.PolicySet;
import io.tidegate.store.CostReport;
import io.tidegate.store.HeldLock;
import io.tidegate.store.ScheduledReview;
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
 * <p>Each evaluation also plans the PR's next time edge in the review schedule, with the facts
 * GitHub gave, so that time, another PR's lock release or deployment and a policy reload decide
 * it again without reading GitHub ({@link ReviewTrigger}).
 *
 * <p>When the facts cannot be gathered the evaluation throws (the inbox retries it with backoff);
 * if the event told the head commit, the statuses the store knows for it become {@code error}
 * first, so nothing stays green on facts nobody could check.
 */
public final class PullRequestReview {
    private static final Logger log = LoggerFactory.getLogger(PullRequestReview.class);
    /**
     * Stored facts older than this are read afresh even for a time-triggered review: a lost
     * webhook (a membership change, a delivery GitHub gave up on) is never trusted for longer.
     */
    static final Duration FACTS_MAX_AGE = Duration.ofHours(24);
    private static final com.fasterxml.jackson.databind.ObjectMapper BOARD_JSON =
            ReviewBoard.mapper();

    private final SnapshotSource snapshots;
    private final PolicySource policies;
    private final Store store;
    private final GitHubEffects effects;
    private final PullRequestUrls urls;
    private final Clock clock;
    private final ObjectMapper json;
    private final MeterRegistry registry;
    private final Consumer<Instant> planned;

    public PullRequestReview(SnapshotSource snapshots, PolicySource policies, Store store,
            GitHubEffects effects, PullRequestUrls urls, Clock clock) {
        this(snapshots, policies, store, effects, urls, clock, new ObjectMapper(),
                new CompositeMeterRegistry(), at -> { });
    }

    /**
     * @param planned told each time a review plans its PR's next edge (the scheduler's timer)
     */
    public PullRequestReview(SnapshotSource snapshots, PolicySource policies, Store store,
            GitHubEffects effects, PullRequestUrls urls, Clock clock, ObjectMapper json,
            MeterRegistry registry, Consumer<Instant> planned) {
        this.snapshots = Objects.requireNonNull(snapshots, "snapshots == null");
        this.policies = Objects.requireNonNull(policies, "policies == null");
        this.store = Objects.requireNonNull(store, "store == null");
        this.effects = Objects.requireNonNull(effects, "effects == null");
        this.urls = Objects.requireNonNull(urls, "urls == null");
        this.clock = Objects.requireNonNull(clock, "clock == null");
        this.json = Objects.requireNonNull(json, "json == null");
        this.registry = Objects.requireNonNull(registry, "registry == null");
        this.planned = Objects.requireNonNull(planned, "planned == null");
    }

    /** Evaluates with no head commit known from the event. */
    public void evaluate(String repo, int number, String trigger)
            throws FactsUnavailableException {
        evaluate(repo, number, trigger, Optional.empty());
    }

    /** An evaluation an event of the PR asked for (GitHub is read). */
    public void evaluate(String repo, int number, String trigger, Optional<String> knownHead)
            throws FactsUnavailableException {
        evaluate(repo, number, trigger, knownHead, ReviewTrigger.EVENT);
    }

    /**
     * Decides the PR again, queues the comment and statuses (written only when their text
     * changed), and plans its next time edge in the schedule with the facts read from GitHub.
     * A trigger that changes nothing GitHub knows ({@link ReviewTrigger#usesStoredFacts()})
     * decides from the facts the last review stored: no GitHub call, unless they are older
     * than {@link #FACTS_MAX_AGE}; a PR with no schedule entry (never reviewed, or closed
     * since) is then left alone.
     *
     * @param eventId   the inbox event id: effects are keyed by it, so handling the event again
     *                  queues nothing twice
     * @param knownHead the head commit the event reported, for statuses when facts fail
     */
    public void evaluate(String repo, int number, String eventId, Optional<String> knownHead,
            ReviewTrigger trigger) throws FactsUnavailableException {
        Instant now = clock.instant();
        PolicySet policy = policies.current().forRepo(repo);
        Optional<StoredFacts> stored = Optional.empty();
        if (trigger.usesStoredFacts()) {
            Optional<String> facts = store.schedule().facts(repo, number);
            if (facts.isEmpty()) {
                log.debug("{}#{} is not scheduled (closed, or never reviewed): no {} review",
                        repo, number, trigger.tag());
                return;
            }
            stored = usable(facts.get(), now);
        }
        PullRequestSnapshot snapshot;
        try {
            snapshot = stored.isPresent() ? snapshots.snapshot(stored.get(), now)
                    : snapshots.snapshot(repo, number, Set.of(), now);
        } catch (FactsUnavailableException e) {
            knownHead.ifPresent(sha -> markUnavailable(repo, number, sha, eventId, now));
            throw e;
        }
        ReviewSummary summary = summarize(policy, snapshot, now);
        Optional<String> target = Optional.of(urls.of(repo, number));
        // the dashboard's "what waits" reads the last review of every open PR
        new ReviewBoard(store.reviewBoard(), BOARD_JSON).record(policy, snapshot, summary,
                target.get(), now);
        effects.comment(repo, number, StickyComment.render(summary), eventId, now);
        for (CommitStatus s : statuses(policy, snapshot, summary, target)) {
            effects.status(repo, summary.headSha(), s, eventId, now);
        }
        plan(policy, snapshot, summary, stored.map(StoredFacts::readAt).orElse(now), now);
        Counter.builder("tidegate.reviews").description("Pull request reviews, by trigger")
                .tag("trigger", trigger.tag()).register(registry).increment();
        log.debug("evaluated {}#{} at {} ({} environments, {})", repo, number,
                summary.shortSha(), summary.environments().size(), trigger.tag());
    }

    /** The PR was closed or merged: no more edges, no more re-reviews, off the board. */
    public void forget(String repo, int number) {
        store.schedule().remove(repo, number);
        new ReviewBoard(store.reviewBoard(), BOARD_JSON).forget(repo, number);
    }

    /** Stored facts young enough to decide from; empty means read GitHub. */
    private Optional<StoredFacts> usable(String facts, Instant now) {
        try {
            StoredFacts f = StoredFacts.fromJson(facts, json);
            return f.readAt().isAfter(now.minus(FACTS_MAX_AGE)) ? Optional.of(f)
                    : Optional.empty();
        } catch (IllegalArgumentException e) {
            log.warn("stored facts unusable, reading GitHub: {}", e.getMessage());
            return Optional.empty();
        }
    }

    /**
     * Saves the PR's schedule entry: its next time edge over the environments it has projects
     * in, the environments whose lock it waits for, and GitHub's facts as read at
     * {@code readAt}.
     */
    private void plan(PolicySet policy, PullRequestSnapshot snapshot, ReviewSummary summary,
            Instant readAt, Instant now) {
        Set<String> envs = new LinkedHashSet<>();
        Set<String> lockWaits = new LinkedHashSet<>();
        for (EnvironmentReview e : summary.environments()) {
            e.environment().ifPresent(envs::add);
            if (e.environment().isPresent() && e.blocking().stream()
                    .anyMatch(r -> r.code() == ReasonCode.LOCK_HELD)) {
                lockWaits.add(e.environment().get());
            }
        }
        Optional<TimeEdges.Edge> edge = snapshot.projects().isEmpty() ? Optional.empty()
                : TimeEdges.next(policy, envs, snapshot.factsFor(Command.APPLY,
                        snapshot.projects().get(0), ""), lockExpiries(now),
                        summary.environments().stream()
                                .flatMap(e -> e.decisions().stream()).toList(), now);
        PullRequest pr = snapshot.pullRequest();
        store.schedule().save(new ScheduledReview(pr.repo(), pr.number(), pr.headSha(),
                edge.map(TimeEdges.Edge::at), edge.map(TimeEdges.Edge::environment).orElse(""),
                edge.map(TimeEdges.Edge::why).orElse(""), envs, lockWaits, now),
                StoredFacts.of(snapshot, readAt).toJson(json));
        edge.ifPresent(e -> planned.accept(e.at()));
    }

    private Map<String, Instant> lockExpiries(Instant now) {
        Map<String, Instant> out = new HashMap<>();
        for (HeldLock l : store.locks().held(now)) {
            out.put(l.environment(), l.expiresAt());
        }
        return out;
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
            PolicySet policy = policies.current().forRepo(repo);
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
