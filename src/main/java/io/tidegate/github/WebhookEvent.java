package io.tidegate.github;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

import io.tidegate.decision.PullRequest;
import io.tidegate.decision.Review;

/**
 * One GitHub webhook delivery, reduced at once to the facts Tidegate uses (see
 * {@link WebhookParser}). Not hub4j's model and not the full payload: what is not here was not
 * needed, and what is here was checked when the record was built.
 *
 * <p>Every event carries GitHub's delivery id ({@code X-GitHub-Delivery}), which the inbox uses
 * to drop redeliveries. {@code repo} is always the base repository's {@code owner/name}.
 */
public sealed interface WebhookEvent {
    String deliveryId();

    /** {@code ping}: sent once when the hook is created. Organisation hooks have no repository. */
    record Ping(String deliveryId, String zen, long hookId, Optional<String> repo)
            implements WebhookEvent {
        public Ping {
            Objects.requireNonNull(deliveryId, "deliveryId == null");
            Objects.requireNonNull(zen, "zen == null");
            Objects.requireNonNull(repo, "repo == null");
        }
    }

    /**
     * {@code pull_request} with one of the actions Tidegate re-evaluates on. {@code fork} is true
     * when the head branch lives in another repository (or in a deleted one).
     */
    record PullRequestEvent(
            String deliveryId,
            String action,
            PullRequest pullRequest,
            String headRef,
            boolean fork,
            boolean merged,
            String sender,
            Optional<Long> installationId) implements WebhookEvent {
        public PullRequestEvent {
            Objects.requireNonNull(deliveryId, "deliveryId == null");
            Objects.requireNonNull(action, "action == null");
            Objects.requireNonNull(pullRequest, "pullRequest == null");
            Objects.requireNonNull(headRef, "headRef == null");
            Objects.requireNonNull(sender, "sender == null");
            Objects.requireNonNull(installationId, "installationId == null");
        }

        public String repo() {
            return pullRequest.repo();
        }

        public int number() {
            return pullRequest.number();
        }
    }

    /**
     * {@code pull_request_review} (submitted, edited, dismissed). {@code commitId} is the commit
     * the review was given on; old payloads lack it, and then the review never counts for the head
     * commit. {@code submittedAt} is GitHub's {@code submitted_at} (empty when absent).
     */
    record ReviewEvent(
            String deliveryId,
            String action,
            String repo,
            int number,
            String headSha,
            long reviewId,
            String reviewer,
            Review.State state,
            Optional<String> commitId,
            Optional<Instant> submittedAt,
            Optional<Long> installationId) implements WebhookEvent {
        public ReviewEvent {
            Objects.requireNonNull(deliveryId, "deliveryId == null");
            Objects.requireNonNull(action, "action == null");
            Objects.requireNonNull(repo, "repo == null");
            Objects.requireNonNull(headSha, "headSha == null");
            Objects.requireNonNull(reviewer, "reviewer == null");
            Objects.requireNonNull(state, "state == null");
            Objects.requireNonNull(commitId, "commitId == null");
            Objects.requireNonNull(submittedAt, "submittedAt == null");
            Objects.requireNonNull(installationId, "installationId == null");
        }

        /** The review as the decision reads it ("" commit when GitHub did not say). */
        public Review review() {
            return new Review(reviewer, state, commitId.orElse(""), submittedAt);
        }
    }

    /**
     * {@code issue_comment} created on a pull request (comments on plain issues are
     * {@link Ignored}). The payload has no head commit: fetch the PR for it. {@code byBot} is true
     * for GitHub App and bot accounts, so callers can avoid answering themselves.
     */
    record CommentEvent(
            String deliveryId,
            String repo,
            int number,
            long commentId,
            String commenter,
            boolean byBot,
            String body,
            Optional<Long> installationId) implements WebhookEvent {
        public CommentEvent {
            Objects.requireNonNull(deliveryId, "deliveryId == null");
            Objects.requireNonNull(repo, "repo == null");
            Objects.requireNonNull(commenter, "commenter == null");
            Objects.requireNonNull(body, "body == null");
            Objects.requireNonNull(installationId, "installationId == null");
        }
    }

    /**
     * Someone joined or left a team, or a team changed ({@code membership}, {@code team},
     * {@code organization} member events): cached memberships of {@code team} ({@code org/slug};
     * every team of {@code org} when empty), for {@code login} (everyone when empty), are stale.
     */
    record MembershipChange(
            String deliveryId,
            String event,
            String action,
            String org,
            Optional<String> team,
            Optional<String> login) implements WebhookEvent {
        public MembershipChange {
            Objects.requireNonNull(deliveryId, "deliveryId == null");
            Objects.requireNonNull(event, "event == null");
            Objects.requireNonNull(action, "action == null");
            Objects.requireNonNull(org, "org == null");
            Objects.requireNonNull(team, "team == null");
            Objects.requireNonNull(login, "login == null");
        }
    }

    /** A delivery Tidegate does not act on, with why (answered 202 {@code {"ignored": why}}). */
    record Ignored(String deliveryId, String event, String why) implements WebhookEvent {
        public Ignored {
            Objects.requireNonNull(deliveryId, "deliveryId == null");
            Objects.requireNonNull(event, "event == null");
            Objects.requireNonNull(why, "why == null");
        }
    }
}
