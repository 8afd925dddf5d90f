package io.tidegate.review;

import java.util.Objects;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tidegate.github.PullRequests;
import io.tidegate.store.InboxEvent;
import io.tidegate.store.InboxHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Dispatches inbox events: pull request and review events and {@code review.request} re-evaluate
 * the PR, comments go to {@link CommentCommands}, membership changes forget cached teams.
 *
 * <p>Closed pull requests are skipped: the last comment and statuses stay as they were (a closed
 * PR applies nothing), and nothing is released, since locks belong to applies and expire on
 * their own. Throwing (facts unavailable) makes the worker retry the event with backoff.
 */
public final class ReviewInboxHandler implements InboxHandler {
    private static final Logger log = LoggerFactory.getLogger(ReviewInboxHandler.class);

    private final PullRequestReview review;
    private final CommentCommands commands;
    private final PullRequests pullRequests;
    private final ObjectMapper json;

    public ReviewInboxHandler(PullRequestReview review, CommentCommands commands,
            PullRequests pullRequests, ObjectMapper json) {
        this.review = Objects.requireNonNull(review, "review == null");
        this.commands = Objects.requireNonNull(commands, "commands == null");
        this.pullRequests = Objects.requireNonNull(pullRequests, "pullRequests == null");
        this.json = Objects.requireNonNull(json, "json == null");
    }

    @Override
    public void handle(InboxEvent event) throws Exception {
        if (!event.kind().equals(InboxMessage.WEBHOOK)
                && !event.kind().equals(InboxMessage.REVIEW_REQUEST)) {
            log.warn("inbox event {} has kind '{}', which no handler knows; skipped", event.id(),
                    event.kind());
            return;
        }
        InboxMessage m;
        try {
            m = InboxMessage.decode(event.payload(), json);
        } catch (IllegalArgumentException e) {
            // Retrying cannot fix a payload; keep the reason in the log.
            log.warn("inbox event {} skipped: {}", event.id(), e.getMessage());
            return;
        }
        if (m instanceof InboxMessage.Evaluate e) {
            review.evaluate(e.repo(), e.number(), event.id(), e.headSha());
        } else if (m instanceof InboxMessage.Comment c) {
            commands.handle(c);
        } else if (m instanceof InboxMessage.Membership ms) {
            pullRequests.invalidate(ms.change());
        } else if (m instanceof InboxMessage.Closed c) {
            review.forget(c.repo(), c.number());
            log.info("{}#{} was {}: nothing to evaluate", c.repo(), c.number(),
                    c.merged() ? "merged" : "closed");
        }
    }
}
