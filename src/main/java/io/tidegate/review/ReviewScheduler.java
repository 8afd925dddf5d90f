package io.tidegate.review;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import io.tidegate.lifecycle.PeriodicJob;
import io.tidegate.policy.PolicySet;
import io.tidegate.store.ReviewSchedule;
import io.tidegate.store.ScheduledReview;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fires the schedule's time edges: one timer, armed for the earliest due entry, queues a
 * {@link ReviewTrigger#TIME} review of each PR whose edge has come (no PR is polled; a PR
 * without an edge costs nothing). Reviews plan their PR's next edge and wake the timer
 * ({@link #planned}) when it is earlier than the one armed.
 *
 * <p>Exactly once across replicas without a lease: the inbox event's id is
 * {@code time:owner/name#number:dueMillis}, which the inbox takes once; the due instant is then
 * cleared only if unchanged ({@link ReviewSchedule#clearDue}). A replica dying in between
 * leaves the entry due for the next look of any replica. Entries another replica planned are
 * seen at the next {@code resync} at the latest (the timer never sleeps longer).
 *
 * <p>Policy reloads: when the policy in force changes (a new file version, or the file turned
 * invalid or valid again), every scheduled PR is reviewed once from its stored facts
 * ({@link ReviewTrigger#POLICY}, event id naming the policy version, so several replicas noticing
 * the same reload queue each PR once), which re-plans every edge. The first look after a start
 * does the same, so a policy edited while the server was down is applied too.
 */
public final class ReviewScheduler implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ReviewScheduler.class);
    /** Due entries fired per look; more are fired at once by the next look. */
    private static final int BATCH = 100;
    /** How long the timer sleeps at most: bounds how late another replica's edge is seen. */
    public static final Duration RESYNC = Duration.ofSeconds(10);

    private final ReviewSchedule schedule;
    private final InboxReviewRequests requests;
    private final PolicySource policies;
    private final Clock clock;
    private final Duration resync;
    /** Looks at once when started, then when the earliest due entry comes (or a resync). */
    private final PeriodicJob timer;
    private Optional<Instant> armed = Optional.empty();
    private volatile String policySeen = "";

    public ReviewScheduler(ReviewSchedule schedule, InboxReviewRequests requests,
            PolicySource policies, Clock clock, Duration resync) {
        this.schedule = Objects.requireNonNull(schedule, "schedule == null");
        this.requests = Objects.requireNonNull(requests, "requests == null");
        this.policies = Objects.requireNonNull(policies, "policies == null");
        this.clock = Objects.requireNonNull(clock, "clock == null");
        this.resync = Objects.requireNonNull(resync, "resync == null");
        this.timer = new PeriodicJob("review-scheduler", Duration.ZERO, resync, this::look);
    }

    /** A review planned an edge at {@code at}: re-arm the timer if that is sooner. */
    public void planned(Instant at) {
        boolean sooner;
        synchronized (this) {
            sooner = armed.isEmpty() || at.isBefore(armed.get());
        }
        if (sooner) {
            timer.wake();
        }
    }

    /** Looks now, whatever the timer says (a test clock jumped; a real one never needs it). */
    public void wake() {
        timer.wake();
    }

    /**
     * One look: re-plans everything if the policy changed, fires every due entry, and answers
     * the next due instant. Safe to call from a test.
     */
    public Optional<Instant> runOnce() {
        Instant now = clock.instant();
        replanIfPolicyChanged();
        List<ScheduledReview> due;
        do {
            due = schedule.due(now, BATCH);
            due.forEach(this::fire);
        } while (due.size() == BATCH);
        return schedule.nextDue();
    }

    private void fire(ScheduledReview r) {
        Instant at = r.dueAt().orElseThrow();
        boolean queued = requests.add("time:" + r.key() + ":" + at.toEpochMilli(), r.repo(),
                r.number(), r.why(), ReviewTrigger.TIME);
        schedule.clearDue(r.repo(), r.number(), at);
        if (queued) {
            log.info("{}: {} at {} ({}), re-reviewing", r.key(), r.why(), at, r.environment());
        }
    }

    private void replanIfPolicyChanged() {
        PolicySet policy = policies.current();
        String version = policy.sha256() + policy.fileProblem().map(p -> ":invalid:"
                + GitHubEffects.hash(p)).orElse("");
        if (version.equals(policySeen)) {
            return;
        }
        int n = 0;
        for (ScheduledReview r : schedule.all()) {
            if (requests.add("policy:" + version + ":" + r.key(), r.repo(), r.number(),
                    "policy " + policy.sha256(), ReviewTrigger.POLICY)) {
                n++;
            }
        }
        policySeen = version;
        if (n > 0) {
            log.info("policy {} in force: {} open pull requests queued for review", version, n);
        }
    }

    /** Starts the timer thread. */
    public ReviewScheduler start() {
        timer.start();
        return this;
    }

    /** One look of the timer; answers how long it may sleep before the next. */
    private Duration look() {
        Optional<Instant> next;
        try {
            next = runOnce();
        } catch (RuntimeException e) {
            // the store failed: look again after the resync, the entries stay due
            log.warn("review schedule: {}", e.toString());
            next = Optional.empty();
        }
        synchronized (this) {
            armed = next;
        }
        Duration sleep = resync;
        if (next.isPresent()) {
            Duration untilDue = Duration.between(clock.instant(), next.get());
            sleep = untilDue.compareTo(resync) < 0 ? untilDue : resync;
        }
        return sleep.isNegative() ? Duration.ZERO : sleep;
    }

    /** Stops the timer, letting a look in hand finish. */
    @Override
    public void close() {
        timer.stop();
    }
}
