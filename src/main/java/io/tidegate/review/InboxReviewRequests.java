package io.tidegate.review;

import java.time.Clock;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tidegate.store.InboxEvent;
import io.tidegate.store.InboxStore;
import io.tidegate.store.ReviewSchedule;
import io.tidegate.store.ScheduledReview;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link ReviewRequests} over the inbox: a {@value InboxMessage#REVIEW_REQUEST} event keyed by
 * the PR. A request of the PR's own (it reads GitHub) supersedes the PR's queued evaluations
 * (one evaluation of the newest state is enough); a request from stored facts supersedes
 * nothing, so it never replaces an event that must read GitHub.
 */
public final class InboxReviewRequests implements ReviewRequests {
    private static final Logger log = LoggerFactory.getLogger(InboxReviewRequests.class);

    private final InboxStore inbox;
    private final ReviewSchedule schedule;
    private final ObjectMapper json;
    private final Clock clock;

    public InboxReviewRequests(InboxStore inbox, ReviewSchedule schedule, ObjectMapper json,
            Clock clock) {
        this.inbox = Objects.requireNonNull(inbox, "inbox == null");
        this.schedule = Objects.requireNonNull(schedule, "schedule == null");
        this.json = Objects.requireNonNull(json, "json == null");
        this.clock = Objects.requireNonNull(clock, "clock == null");
    }

    @Override
    public void request(String repo, int number, String why) {
        request(repo, number, why, ReviewTrigger.EVENT);
    }

    @Override
    public void request(String repo, int number, String why, ReviewTrigger trigger) {
        add("review:" + UUID.randomUUID(), repo, number, why, trigger);
    }

    @Override
    public int reviewEnvironment(String environment, ReviewTrigger trigger) {
        int queued = 0;
        for (ScheduledReview r : schedule.all()) {
            boolean concerned = trigger == ReviewTrigger.LOCK
                    ? r.lockWaits().contains(environment)
                    : r.environments().contains(environment);
            if (concerned) {
                add(trigger.tag() + ":" + UUID.randomUUID(), r.repo(), r.number(),
                        environment + " " + trigger.tag(), trigger);
                queued++;
            }
        }
        log.info("{} in {}: {} open pull requests queued for review", trigger.tag(),
                environment, queued);
        return queued;
    }

    /** Queues a review under the PR's key; {@code false} when the id was already queued. */
    boolean add(String id, String repo, int number, String why, ReviewTrigger trigger) {
        InboxMessage m = new InboxMessage.Evaluate(repo, number, why, Optional.empty(), trigger);
        return inbox.add(new InboxEvent(id, InboxMessage.prKey(repo, number),
                InboxMessage.REVIEW_REQUEST, InboxMessage.encode(m, json), clock.instant()),
                !trigger.usesStoredFacts());
    }
}
