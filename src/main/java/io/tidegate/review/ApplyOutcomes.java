package io.tidegate.review;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.tidegate.atlantis.ApplyResult;
import io.tidegate.atlantis.ApplyResults;
import io.tidegate.decision.CostChange;
import io.tidegate.decision.PlanChange;
import io.tidegate.notify.DeploymentMetrics;
import io.tidegate.notify.FinishedDeployment;
import io.tidegate.notify.NotificationEvent;
import io.tidegate.notify.PullRequestLink;
import io.tidegate.store.CostReport;
import io.tidegate.store.CostReportStore;
import io.tidegate.store.Deployment;
import io.tidegate.store.DeploymentStats;
import io.tidegate.text.Untrusted;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes Atlantis's apply result ({@code http} webhook, event {@code apply}): ends the running
 * deployment the gate started for that PR, project and commit, gives the environment lock back,
 * counts it ({@code tidegate.deployments}, {@code tidegate.deployment.duration}, the external
 * {@link DeploymentMetrics}), queues {@code apply_completed} or {@code apply_failed} and asks for
 * the PR to be evaluated again. Atlantis also reports applies a gate step refused
 * ({@code Success: false}): with no running deployment, nothing is ended.
 *
 * <p>Atlantis posts the result inside the apply with Go's default HTTP client, which has no
 * timeout ({@code server/events/webhooks/http.go}, v0.47): this path reads only the store and
 * never calls GitHub. The message's cost and plan are the report the gate decided on; its
 * title and approvers are what the gate's allow recorded in the audit row (Atlantis's payload
 * carries no title).
 *
 * <p>A result is trusted only as far as it matches: it ends the running deployment of exactly
 * its repository, PR, project and head commit, so a forged or replayed result can end no other
 * deployment and release no lock another PR holds. A result for a deployment already recorded
 * unknown records its real outcome but never touches a lock: that apply's lock has lapsed, and
 * a lock the PR holds now belongs to a later apply.
 */
public final class ApplyOutcomes implements ApplyResults {
    private static final Logger log = LoggerFactory.getLogger(ApplyOutcomes.class);

    private final ReviewParts parts;
    private final DeploymentMetrics metrics;
    private final CostReportStore reports;
    private final AuditEvents events;

    public ApplyOutcomes(ReviewParts parts, DeploymentMetrics metrics, CostReportStore reports,
            AuditEvents events) {
        this.parts = Objects.requireNonNull(parts, "parts == null");
        this.metrics = Objects.requireNonNull(metrics, "metrics == null");
        this.reports = Objects.requireNonNull(reports, "reports == null");
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
            Optional<Deployment> recorded = parts.deployments().ended(repo,
                    result.pull().number(), result.project().label(),
                    result.pull().headCommit(), now).filter(d -> d.result() == (result.success()
                            ? io.tidegate.store.DeploymentStatus.SUCCEEDED
                            : io.tidegate.store.DeploymentStatus.FAILED));
            if (recorded.isPresent()) {
                // A replayed delivery of a result already taken: say so, change nothing.
                return "deployment " + recorded.get().id() + " already recorded "
                        + recorded.get().result().word() + seconds(recorded.get())
                        + ": this result was recorded before, nothing changed";
            }
            // Rule: only an apply the gate allowed started a deployment; a denied one ends none.
            // Atlantis logs this answer; the project and (for an API run) the ref are the
            // PR's or the caller's text
            return "no running deployment for " + repo + "#" + result.pull().number() + " "
                    + Untrusted.plain(result.project().label()) + " at "
                    + Untrusted.plain(result.pull().headCommit())
                    + ": the gate did not allow this apply, nothing ended";
        }
        Deployments.Finished finished = running.isPresent()
                ? parts.deployments().finish(running.get(), result.success(), now)
                : parts.deployments().finishUnreported(late.get(), result.success(), now);
        Deployment d = finished.deployment();
        if (finished.lockReleased()) {
            auditRelease(result, d, now);
        }
        count(d, now);
        announce(result, d, now);
        parts.reviews().request(repo, result.pull().number(), "apply " + d.result().word());
        reviewOthers(d, finished.lockReleased());
        return "deployment " + d.id() + " " + d.result().word() + seconds(d)
                + (late.isPresent() ? " (result arrived after it was recorded unknown)" : "")
                + (finished.lockReleased() ? "; lock on " + d.environment() + " released" : "");
    }

    /** " after 55s", rounded as the store and the API round it (one rounding everywhere). */
    private static String seconds(Deployment d) {
        return d.duration().map(x -> " after " + DeploymentStats.seconds(x) + "s").orElse("");
    }

    /**
     * Other PRs' verdicts this result changed: those waiting for the lock it released, and,
     * after a success in an environment with a budget, those applying there.
     */
    private void reviewOthers(Deployment d, boolean lockReleased) {
        try {
            if (lockReleased) {
                parts.reviews().reviewEnvironment(d.environment(), ReviewTrigger.LOCK);
            }
            boolean budgeted = parts.policies().current().forRepo(d.repo())
                    .environment(d.environment())
                    .flatMap(e -> e.cost()).flatMap(c -> c.budget()).isPresent();
            if (budgeted && d.result() == io.tidegate.store.DeploymentStatus.SUCCEEDED) {
                parts.reviews().reviewEnvironment(d.environment(), ReviewTrigger.BUDGET);
            }
        } catch (RuntimeException e) {
            // The deployment is ended and the lock released; their statuses follow at their
            // next event or edge.
            log.warn("re-reviews after the apply result in {} not queued: {}", d.environment(),
                    e.toString());
        }
    }

    /** The lock release as an audit event; the lock is free either way, so a failure is logged. */
    private void auditRelease(ApplyResult r, Deployment d, Instant now) {
        try {
            events.lockReleased(d.environment(), d.repo(), d.pr(), d.commitSha(), d.project(),
                    r.username().isBlank() ? d.actor() : r.username(),
                    "apply " + d.result().word(),
                    "sha256:" + parts.policies().current().forRepo(d.repo()).sha256(), now);
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
        metrics.publish(List.of(new FinishedDeployment(d.environment(),
                d.result() == io.tidegate.store.DeploymentStatus.SUCCEEDED, d.duration(), now)),
                "deployment:" + d.id());
    }

    private void announce(ApplyResult r, Deployment d, Instant now) {
        try {
            String repo = r.repo().fullName();
            // Atlantis's payload has no title, and this path reads no GitHub: the gate's
            // allow recorded the title and the approvals it read.
            DecisionRecorder.AllowedApply allowed = parts.recorder().allowedApply(repo,
                    r.pull().number(), d.project(), d.commitSha(), d.startedAt());
            PullRequestLink link = GateEvents.link(repo, r.pull().number(), allowed.title(),
                    r.pull().author(), r.pull().url());
            Optional<CostReport> report = reports.forCommit(repo, r.pull().number(),
                    d.commitSha()).stream()
                    .filter(c -> c.project().label().equals(d.project())).findFirst();
            CostChange cost = report.map(CostReport::cost).orElse(CostChange.UNKNOWN);
            PlanChange plan = report.map(CostReport::plan).orElse(PlanChange.EMPTY);
            List<String> approvers = allowed.approvers();
            parts.publisher().publish(r.success()
                    ? new NotificationEvent.ApplyCompleted(d.environment(), link, r.project(),
                            d.actor(), cost, plan, approvers, d.duration())
                    : new NotificationEvent.ApplyFailed(d.environment(), link, r.project(),
                            d.actor(), approvers, "Atlantis reported the apply as failed: a"
                            + " step failed, or the PR's head or base branch moved while it ran"
                            + " (reported the same way); the apply comment on the pull request"
                            + " says which"),
                    // one message per deployment: equal facts of a second failure must not dedup
                    "deployment:" + d.id());
        } catch (RuntimeException e) {
            // The deployment is ended and the lock released; only the message is lost.
            log.warn("apply notification for {}#{} not queued: {}", r.repo().fullName(),
                    r.pull().number(), e.toString());
        }
    }
}
