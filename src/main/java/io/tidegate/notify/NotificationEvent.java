package io.tidegate.notify;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import io.tidegate.decision.CostChange;
import io.tidegate.decision.PlanChange;
import io.tidegate.decision.ProjectRef;
import io.tidegate.policy.NotificationRules.Event;

/**
 * Something worth telling people about, with the facts its message shows. Every event names the
 * environment; most are about a pull request and an Atlantis project ({@link OnPullRequest});
 * environment-wide events (a freeze, a lock released by hand) may have been asked for on a PR
 * ({@link #link()}) or through the API (no PR). {@code actor} is the GitHub login that commented
 * the command (may differ from the PR author). These are facts, not wording: the formats
 * ({@link SlackMessageFormat}, {@link EmailFormat}) decide how they read.
 */
public sealed interface NotificationEvent {
    /** The policy's name for this kind of event, which routes it. */
    Event type();

    String environment();

    /** The pull request the event is about or was asked for on; empty for the API. */
    Optional<PullRequestLink> link();

    /** An event about one project of one pull request. */
    sealed interface OnPullRequest extends NotificationEvent {
        PullRequestLink pullRequest();

        ProjectRef project();

        @Override
        default Optional<PullRequestLink> link() {
            return Optional.of(pullRequest());
        }
    }

    /** A plan finished: what it would change and cost. */
    record PlanCompleted(
            String environment,
            PullRequestLink pullRequest,
            ProjectRef project,
            CostChange cost,
            PlanChange resources) implements OnPullRequest {
        public PlanCompleted {
            common(environment, pullRequest, project);
            Objects.requireNonNull(cost, "cost == null");
            Objects.requireNonNull(resources, "resources == null");
        }

        @Override
        public Event type() {
            return Event.PLAN_COMPLETED;
        }
    }

    /**
     * A gated apply is waiting for approvals. {@code approvers} have approved so far;
     * {@code waitingFor} says what is still missing ("1 more approval from devops-lead or cto"),
     * empty when the gate did not say.
     */
    record ApplyRequested(
            String environment,
            PullRequestLink pullRequest,
            ProjectRef project,
            String actor,
            CostChange cost,
            PlanChange resources,
            List<String> approvers,
            String waitingFor) implements OnPullRequest {
        public ApplyRequested {
            common(environment, pullRequest, project);
            Objects.requireNonNull(actor, "actor == null");
            Objects.requireNonNull(cost, "cost == null");
            Objects.requireNonNull(resources, "resources == null");
            approvers = List.copyOf(Objects.requireNonNull(approvers, "approvers == null"));
            Objects.requireNonNull(waitingFor, "waitingFor == null");
        }

        @Override
        public Event type() {
            return Event.APPLY_REQUESTED;
        }
    }

    /** An apply succeeded; {@code duration} is empty when its start was not seen. */
    record ApplyCompleted(
            String environment,
            PullRequestLink pullRequest,
            ProjectRef project,
            String actor,
            CostChange cost,
            PlanChange resources,
            List<String> approvers,
            Optional<Duration> duration) implements OnPullRequest {
        public ApplyCompleted {
            common(environment, pullRequest, project);
            Objects.requireNonNull(actor, "actor == null");
            Objects.requireNonNull(cost, "cost == null");
            Objects.requireNonNull(resources, "resources == null");
            approvers = List.copyOf(Objects.requireNonNull(approvers, "approvers == null"));
            Objects.requireNonNull(duration, "duration == null");
        }

        @Override
        public Event type() {
            return Event.APPLY_COMPLETED;
        }
    }

    /** An apply ran and failed; {@code error} is what failed, as Atlantis or Terraform said. */
    record ApplyFailed(
            String environment,
            PullRequestLink pullRequest,
            ProjectRef project,
            String actor,
            List<String> approvers,
            String error) implements OnPullRequest {
        public ApplyFailed {
            common(environment, pullRequest, project);
            Objects.requireNonNull(actor, "actor == null");
            approvers = List.copyOf(Objects.requireNonNull(approvers, "approvers == null"));
            Objects.requireNonNull(error, "error == null");
        }

        @Override
        public Event type() {
            return Event.APPLY_FAILED;
        }
    }

    /**
     * An apply the gate allowed whose result Atlantis never reported within {@code waited}, the
     * environment's lock TTL (Atlantis crashed or restarted, its {@code http} webhook is
     * misconfigured): the lock has lapsed and the outcome is unknown. Routed as
     * {@code apply_failed}, because the people who answer failures are the ones who must look:
     * the environment may be half-applied, and another apply may now start on top of it. A log
     * line alone would go unseen until someone wonders why the history says "unknown".
     */
    record ApplyResultMissing(
            String environment,
            PullRequestLink pullRequest,
            ProjectRef project,
            String actor,
            Instant startedAt,
            Duration waited) implements OnPullRequest {
        public ApplyResultMissing {
            common(environment, pullRequest, project);
            Objects.requireNonNull(actor, "actor == null");
            Objects.requireNonNull(startedAt, "startedAt == null");
            Objects.requireNonNull(waited, "waited == null");
        }

        @Override
        public Event type() {
            return Event.APPLY_FAILED;
        }
    }

    /**
     * Someone allowed what the policy would have denied: {@code overridden} names the rule set
     * aside ("production deployment window"), {@code reason} is the justification they gave.
     */
    record OverrideUsed(
            String environment,
            PullRequestLink pullRequest,
            ProjectRef project,
            String actor,
            String overridden,
            String reason) implements OnPullRequest {
        public OverrideUsed {
            common(environment, pullRequest, project);
            Objects.requireNonNull(actor, "actor == null");
            Objects.requireNonNull(overridden, "overridden == null");
            Objects.requireNonNull(reason, "reason == null");
        }

        @Override
        public Event type() {
            return Event.OVERRIDE_USED;
        }
    }

    /**
     * The environment's monthly total with this PR ({@code projectedMonthly}, USD) reaches the
     * alert threshold ({@code alertPercent} of {@code budget}).
     */
    record BudgetWarning(
            String environment,
            PullRequestLink pullRequest,
            ProjectRef project,
            CostChange cost,
            BigDecimal projectedMonthly,
            BigDecimal budget,
            int alertPercent) implements OnPullRequest {
        public BudgetWarning {
            common(environment, pullRequest, project);
            Objects.requireNonNull(cost, "cost == null");
            Objects.requireNonNull(projectedMonthly, "projectedMonthly == null");
            Objects.requireNonNull(budget, "budget == null");
            if (budget.signum() <= 0) {
                throw new IllegalArgumentException("budget must be positive, got " + budget);
            }
        }

        @Override
        public Event type() {
            return Event.BUDGET_WARNING;
        }
    }

    /** An apply was refused by a deployment window or freeze; {@code why} says until when. */
    record FreezeBlocked(
            String environment,
            PullRequestLink pullRequest,
            ProjectRef project,
            String actor,
            String why) implements OnPullRequest {
        public FreezeBlocked {
            common(environment, pullRequest, project);
            Objects.requireNonNull(actor, "actor == null");
            Objects.requireNonNull(why, "why == null");
        }

        @Override
        public Event type() {
            return Event.FREEZE_BLOCKED;
        }
    }

    /**
     * An environment was frozen on demand: no apply there until {@code until} (empty: until
     * someone unfreezes it). {@code reason} is the text its author gave.
     */
    record FreezeStarted(
            String environment,
            String actor,
            String reason,
            Optional<Instant> until,
            boolean overridable,
            Optional<PullRequestLink> link) implements NotificationEvent {
        public FreezeStarted {
            Objects.requireNonNull(environment, "environment == null");
            Objects.requireNonNull(actor, "actor == null");
            Objects.requireNonNull(reason, "reason == null");
            Objects.requireNonNull(until, "until == null");
            Objects.requireNonNull(link, "link == null");
        }

        @Override
        public Event type() {
            return Event.FREEZE_STARTED;
        }
    }

    /** An on-demand freeze was lifted before its end; {@code frozenBy} had started it. */
    record FreezeEnded(
            String environment,
            String actor,
            String frozenBy,
            String frozenFor,
            Optional<PullRequestLink> link) implements NotificationEvent {
        public FreezeEnded {
            Objects.requireNonNull(environment, "environment == null");
            Objects.requireNonNull(actor, "actor == null");
            Objects.requireNonNull(frozenBy, "frozenBy == null");
            Objects.requireNonNull(frozenFor, "frozenFor == null");
            Objects.requireNonNull(link, "link == null");
        }

        @Override
        public Event type() {
            return Event.FREEZE_ENDED;
        }
    }

    /**
     * Someone released the environment's apply lock before its TTL ({@code tidegate unlock},
     * the API): {@code holder} ({@code owner/name#number}) had it; its apply may still run.
     */
    record LockReleased(
            String environment,
            String actor,
            String holder,
            String reason,
            Optional<PullRequestLink> link) implements NotificationEvent {
        public LockReleased {
            Objects.requireNonNull(environment, "environment == null");
            Objects.requireNonNull(actor, "actor == null");
            Objects.requireNonNull(holder, "holder == null");
            Objects.requireNonNull(reason, "reason == null");
            Objects.requireNonNull(link, "link == null");
        }

        @Override
        public Event type() {
            return Event.LOCK_RELEASED;
        }
    }

    private static void common(String environment, PullRequestLink pr, ProjectRef project) {
        Objects.requireNonNull(environment, "environment == null");
        Objects.requireNonNull(pr, "pullRequest == null");
        Objects.requireNonNull(project, "project == null");
    }
}
