package io.tidegate.review;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import io.micrometer.core.instrument.Counter;
import io.tidegate.decision.ProjectRef;
import io.tidegate.notify.NotificationEvent;
import io.tidegate.notify.PullRequestLink;
import io.tidegate.policy.PolicySet;
import io.tidegate.store.Deployment;
import io.tidegate.store.LockStore;
import io.tidegate.store.Retention;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends deployments whose apply result never came. The gate starts a running deployment and
 * takes the environment's lock; Atlantis's apply result ends both. When that result is lost
 * (Atlantis crashed, its webhook is misconfigured) the lock lapses by its TTL but the record
 * would stay running forever. {@link #sweep} ends every deployment still running one lock TTL
 * (the environment's {@code lock.ttl}, else {@link LockStore#DEFAULT_TTL}) after its start as
 * {@code unknown} and tells the failure route. A result that arrives later still records the
 * real outcome ({@link ApplyOutcomes}).
 *
 * <p>Unknown applies are not counted as deployments ({@code tidegate.deployments}) nor sent to
 * CloudWatch: the outcome is not known, and a late result will be counted then, once, as what
 * it was. They are counted apart in {@code tidegate.deployments.unreported}. Safe to run from
 * several replicas at once: each deployment is ended (and announced) by exactly one sweep.
 */
public final class UnreportedApplies {
    private static final Logger log = LoggerFactory.getLogger(UnreportedApplies.class);
    /**
     * Only waits that ran out this recently are announced: the first sweep after an upgrade
     * also ends records lost weeks ago, and those must not page the on-call one by one (the log
     * line and the counter still show each).
     */
    static final Duration ANNOUNCE_WITHIN = Duration.ofDays(1);

    private final ReviewParts parts;
    /** The first sweep after a start also ends records older than the usual look-back. */
    private volatile boolean sweptOnce;

    public UnreportedApplies(ReviewParts parts) {
        this.parts = Objects.requireNonNull(parts, "parts == null");
    }

    /** Ends every overdue running deployment as unknown; returns how many it ended. */
    public int sweep() {
        Instant now = parts.clock().instant();
        PolicySet policy = parts.policies().current();
        Instant since = now.minus(sweptOnce ? Deployments.LOOKBACK : Retention.DEPLOYMENTS);
        List<Deployment> overdue = parts.deployments().overdue(env -> ttl(policy, env), since,
                now);
        int ended = 0;
        for (Deployment d : overdue) {
            Duration waited = ttl(policy, d.environment());
            if (parts.deployments().giveUp(d, d.startedAt().plus(waited)).isPresent()) {
                ended++;
                report(d, waited, now);
            }
        }
        sweptOnce = true;
        return ended;
    }

    /** How long an apply in this environment may hold its lock: the wait for its result. */
    static Duration ttl(PolicySet policy, String environment) {
        // With repos:, the first repository policy that has the environment says.
        return policy.governing().stream().flatMap(p -> p.environment(environment).stream())
                .findFirst().flatMap(e -> e.apply().lockTtl()).orElse(LockStore.DEFAULT_TTL);
    }

    private void report(Deployment d, Duration waited, Instant now) {
        log.warn("deployment {} of {}#{} {} in {} ended unknown: no apply result within {}",
                d.id(), d.repo(), d.pr(), d.project(), d.environment(), waited);
        Counter.builder("tidegate.deployments.unreported")
                .description("Applies whose result Atlantis did not report within the lock TTL")
                .tag("environment", d.environment()).register(parts.registry()).increment();
        if (d.startedAt().plus(waited).isBefore(now.minus(ANNOUNCE_WITHIN))) {
            return;
        }
        try {
            parts.publisher().publish(new NotificationEvent.ApplyResultMissing(d.environment(),
                    link(d, now), project(d), d.actor(), d.startedAt(), waited),
                    "deployment-unreported:" + d.id());
        } catch (RuntimeException e) {
            // The record is ended; only the message is lost (the log line above remains).
            log.warn("apply_failed (result missing) for {}#{} not queued: {}", d.repo(), d.pr(),
                    e.toString());
        }
    }

    /** The PR as messages show it: title and author from GitHub when it answers. */
    private PullRequestLink link(Deployment d, Instant now) {
        try {
            return GateEvents.link(parts.snapshots().snapshot(d.repo(), d.pr(), Set.of(), now)
                    .pullRequest(), "");
        } catch (FactsUnavailableException e) {
            log.info("facts of {}#{} unavailable for the result-missing message: {}", d.repo(),
                    d.pr(), e.getMessage());
            return GateEvents.link(d.repo(), d.pr(), "", "", "");
        }
    }

    /**
     * The project as the deployment recorded it: only its label is stored, which as a name
     * reads the same in the message (the only use; no command is built from it).
     */
    private static ProjectRef project(Deployment d) {
        return new ProjectRef(d.project(), "", "");
    }
}
