package io.tidegate.review;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.tidegate.atlantis.ApplyResult;
import io.tidegate.atlantis.ApplyResults;
import io.tidegate.decision.Command;
import io.tidegate.decision.CostChange;
import io.tidegate.decision.DecisionEngine;
import io.tidegate.decision.Facts;
import io.tidegate.decision.PlanChange;
import io.tidegate.notify.DeploymentMetrics;
import io.tidegate.notify.DeploymentResult;
import io.tidegate.notify.NotificationEvent;
import io.tidegate.notify.PullRequestLink;
import io.tidegate.store.Deployment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes Atlantis's apply result ({@code http} webhook, event {@code apply}): ends the running
 * deployment the gate started for that PR, project and commit, gives the environment lock back,
 * counts it ({@code tidegate.deployments}, {@code tidegate.deployment.duration}, the external
 * {@link DeploymentMetrics}), queues {@code apply_completed} or {@code apply_failed} and asks for
 * the PR to be evaluated again. Atlantis also reports applies a gate step refused
 * ({@code Success: false}): with no running deployment, nothing is ended.
 */
public final class ApplyOutcomes implements ApplyResults {
    private static final Logger log = LoggerFactory.getLogger(ApplyOutcomes.class);

    private final ReviewParts parts;
    private final DeploymentMetrics metrics;
    private final AuditEvents events;

    public ApplyOutcomes(ReviewParts parts, DeploymentMetrics metrics, AuditEvents events) {
        this.parts = Objects.requireNonNull(parts, "parts == null");
        this.metrics = Objects.requireNonNull(metrics, "metrics == null");
        this.events = Objects.requireNonNull(events, "events == null");
    }

    @Override
    public String record(ApplyResult result) {
        Instant now = parts.clock().instant();
        String repo = result.repo().fullName();
        Optional<Deployment> running = parts.deployments().running(repo, result.pull().number(),
                result.project().label(), result.pull().headCommit(), now);
        Optional<Deployment> late = running.isPresent() ? Optional.empty() : late(result, now);
        if (running.isEmpty() && late.isEmpty()) {
            // Rule: only an apply the gate allowed started a deployment; a denied one ends none.
            return "no running deployment for " + repo + "#" + result.pull().number() + " "
                    + result.project().label() + " at " + result.pull().headCommit()
                    + ": the gate did not allow this apply, nothing ended";
        }
        Deployments.Finished finished = parts.deployments().finish(
                running.or(() -> late).get(), result.success(), now);
        Deployment d = finished.deployment();
        if (finished.lockReleased()) {
            auditRelease(result, d, now);
        }
        count(d, now);
        announce(result, d, now);
        parts.reviews().request(repo, result.pull().number(), "apply " + d.result().word());
        return "deployment " + d.id() + " " + d.result().word() + " after "
                + d.duration().orElse(Duration.ZERO).toSeconds() + "s"
                + (late.isPresent() ? " (result arrived after it was recorded unknown)" : "")
                + (finished.lockReleased() ? "; lock on " + d.environment() + " released" : "");
    }

    /** The lock release as an audit event; the lock is free either way, so a failure is logged. */
    private void auditRelease(ApplyResult r, Deployment d, Instant now) {
        try {
            events.lockReleased(d.environment(), d.repo(), d.pr(), d.commitSha(), d.project(),
                    r.username().isBlank() ? d.actor() : r.username(),
                    "apply " + d.result().word(),
                    "sha256:" + parts.policies().current().sha256(), now);
        } catch (RuntimeException e) {
            log.warn("lock release of {} by {}#{} not audited: {}", d.environment(), d.repo(),
                    d.pr(), e.toString());
        }
    }

    /**
     * The deployment a result arriving after the sweep belongs to: the newest one of this
     * project and commit recorded unknown. A success can only come from an apply that ran. A
     * failure is ambiguous: Atlantis also reports an apply the gate refused as failed, so it
     * counts only when the gate refused no apply of this project since that deployment
     * started; otherwise the deployment stays unknown rather than be marked failed wrongly.
     */
    private Optional<Deployment> late(ApplyResult r, Instant now) {
        String repo = r.repo().fullName();
        String project = r.project().label();
        return parts.deployments().unreported(repo, r.pull().number(), project,
                r.pull().headCommit(), now)
                .filter(d -> r.success() || !parts.recorder().deniedApplySince(repo,
                        r.pull().number(), project, d.startedAt()));
    }

    private void count(Deployment d, Instant now) {
        Counter.builder("tidegate.deployments").description("Applies ended, by result")
                .tag("environment", d.environment()).tag("result", d.result().word())
                .register(parts.registry()).increment();
        Timer.builder("tidegate.deployment.duration").description("From gate allow to result")
                .tag("environment", d.environment()).register(parts.registry())
                .record(d.duration().orElse(Duration.ZERO));
        // The external sender never throws; the outbox (or the next result) is its retry.
        metrics.publish(List.of(new DeploymentResult(d.environment(),
                d.result() == io.tidegate.store.DeploymentResult.SUCCEEDED, d.duration(), now)),
                "deployment:" + d.id());
    }

    private void announce(ApplyResult r, Deployment d, Instant now) {
        try {
            Optional<Facts> facts = facts(r, now);
            // GitHub's title when the facts could be read; Atlantis's payload has none
            PullRequestLink link = facts.map(f -> GateEvents.link(f.pullRequest(),
                    r.pull().url())).orElseGet(() -> GateEvents.link(r.repo().fullName(),
                    r.pull().number(), "", r.pull().author(), r.pull().url()));
            List<String> approvers = facts.map(f -> DecisionEngine.decide(
                    parts.policies().current(), f, now).assessment().approvals().approvers())
                    .orElse(List.of());
            parts.publisher().publish(r.success()
                    ? new NotificationEvent.ApplyCompleted(d.environment(), link, r.project(),
                            d.actor(), facts.map(GateEvents::cost).orElse(CostChange.UNKNOWN),
                            facts.map(GateEvents::plan).orElse(PlanChange.EMPTY), approvers,
                            d.duration())
                    : new NotificationEvent.ApplyFailed(d.environment(), link, r.project(),
                            d.actor(), approvers, "Atlantis reported the apply failed; its "
                            + "output is in the apply comment on the pull request"),
                    // one message per deployment: equal facts of a second failure must not dedup
                    "deployment:" + d.id());
        } catch (RuntimeException e) {
            // The deployment is ended and the lock released; only the message is lost.
            log.warn("apply notification for {}#{} not queued: {}", r.repo().fullName(),
                    r.pull().number(), e.toString());
        }
    }

    /** The PR's facts now, for the approvers and the cost the message shows; best effort. */
    private Optional<Facts> facts(ApplyResult r, Instant now) {
        try {
            return Optional.of(parts.snapshots().snapshot(r.repo().fullName(),
                    r.pull().number(), Set.of(), now).factsFor(Command.APPLY, r.project(),
                    r.username()));
        } catch (FactsUnavailableException e) {
            log.info("facts of {}#{} unavailable for the apply message: {}",
                    r.repo().fullName(), r.pull().number(), e.getMessage());
            return Optional.empty();
        }
    }
}
