/**
 * What Tidegate shows and answers on a pull request, between the GitHub adapter, the store and
 * the decision engine.
 *
 * <ul>
 *   <li>Intake: {@link io.tidegate.review.WebhookIntake} stores a verified webhook in the inbox
 *       as an {@link io.tidegate.review.InboxMessage} (kind {@code github.webhook}, key
 *       {@code owner/name#number}; comment commands under {@code ...#number:comments} so a
 *       superseding evaluation never drops them). {@link io.tidegate.review.InboxReviewRequests}
 *       queues {@code review.request} the same way.</li>
 *   <li>Facts: {@link io.tidegate.review.LiveSnapshotSource} gathers a
 *       {@link io.tidegate.review.PullRequestSnapshot} from GitHub and the store, or throws
 *       {@link io.tidegate.review.FactsUnavailableException}.</li>
 *   <li>Work: {@link io.tidegate.review.ReviewInboxHandler} dispatches inbox events to
 *       {@link io.tidegate.review.PullRequestReview} (sticky comment rendered by
 *       {@link io.tidegate.review.StickyComment}, statuses by
 *       {@link io.tidegate.review.StatusText}) and {@link io.tidegate.review.CommentCommands}.
 *       </li>
 *   <li>Live verdicts: each review saves its PR's next time edge
 *       ({@link io.tidegate.decision.TimeEdges}) and the facts GitHub gave in the store's review
 *       schedule; {@link io.tidegate.review.ReviewScheduler} queues a {@code time} review when an
 *       edge comes, and {@link io.tidegate.review.ReviewRequests#reviewEnvironment} re-reviews the
 *       PRs of an environment another PR changed (lock released, budget used); those reviews
 *       read no GitHub ({@link io.tidegate.review.ReviewTrigger#usesStoredFacts()}).</li>
 *   <li>Writes: {@link io.tidegate.review.GitHubEffects} queues {@code github.comment},
 *       {@code github.status} and {@code github.reply} effects with content-derived keys and
 *       performs them through {@code github.PullRequestWriter}.</li>
 * </ul>
 */
package io.tidegate.review;
