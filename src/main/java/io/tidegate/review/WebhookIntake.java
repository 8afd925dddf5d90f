package io.tidegate.review;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tidegate.github.WebhookEvent;
import io.tidegate.store.InboxEvent;
import io.tidegate.store.Store;

/**
 * Stores a verified webhook in the inbox so the reply can go out at once and the work happens
 * after it. The delivery id is the inbox event id, so adding the same delivery twice is a
 * duplicate whoever races; only then is the delivery marked seen (marking first and crashing
 * before the add would make GitHub's redelivery look like a duplicate), see
 * {@link Store#acceptDelivery}.
 *
 * <p>Pull request and review events supersede the PR's queued evaluations (only the newest
 * state matters); comments go to a key of their own and are never superseded, since a command
 * must not be dropped.
 */
public final class WebhookIntake {
    /** What became of a delivery. */
    public enum Outcome { QUEUED, DUPLICATE, IGNORED }

    private final Store store;
    private final ObjectMapper json;

    public WebhookIntake(Store store, ObjectMapper json) {
        this.store = Objects.requireNonNull(store, "store == null");
        this.json = Objects.requireNonNull(json, "json == null");
    }

    public Outcome accept(WebhookEvent event, Instant now) {
        Optional<Queued> queued = queued(event);
        if (queued.isEmpty()) {
            return Outcome.IGNORED;
        }
        Queued q = queued.get();
        InboxEvent e = new InboxEvent(event.deliveryId(), q.key(), InboxMessage.WEBHOOK,
                InboxMessage.encode(q.message(), json), now);
        // Adds, then marks the delivery seen (never before: see DeliveryStore).
        return store.acceptDelivery(e, q.supersede()) ? Outcome.QUEUED : Outcome.DUPLICATE;
    }

    private record Queued(String key, InboxMessage message, boolean supersede) {}

    private static Optional<Queued> queued(WebhookEvent event) {
        if (event instanceof WebhookEvent.PullRequestEvent p) {
            InboxMessage m = p.action().equals("closed")
                    ? new InboxMessage.Closed(p.repo(), p.number(), p.merged())
                    : new InboxMessage.Evaluate(p.repo(), p.number(), "pull_request "
                            + p.action(), Optional.of(p.pullRequest().headSha()));
            return Optional.of(new Queued(InboxMessage.prKey(p.repo(), p.number()), m, true));
        }
        if (event instanceof WebhookEvent.ReviewEvent r) {
            InboxMessage m = new InboxMessage.Evaluate(r.repo(), r.number(),
                    "pull_request_review " + r.action() + " by " + r.reviewer(),
                    Optional.of(r.headSha()).filter(s -> !s.isBlank()));
            return Optional.of(new Queued(InboxMessage.prKey(r.repo(), r.number()), m, true));
        }
        if (event instanceof WebhookEvent.CommentEvent c) {
            InboxMessage m = new InboxMessage.Comment(c.repo(), c.number(), c.commentId(),
                    c.commenter(), c.byBot(), c.body());
            return Optional.of(new Queued(InboxMessage.commandKey(c.repo(), c.number()), m,
                    false));
        }
        if (event instanceof WebhookEvent.MembershipChange m) {
            return Optional.of(new Queued("org:" + m.org(), new InboxMessage.Membership(m),
                    false));
        }
        return Optional.empty();
    }
}
