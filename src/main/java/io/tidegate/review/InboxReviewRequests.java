package io.tidegate.review;

import java.time.Clock;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tidegate.store.InboxEvent;
import io.tidegate.store.InboxStore;

/**
 * {@link ReviewRequests} over the inbox: a {@value InboxMessage#REVIEW_REQUEST} event keyed by
 * the PR, superseding the PR's queued evaluations (one evaluation of the newest state is enough).
 */
public final class InboxReviewRequests implements ReviewRequests {
    private final InboxStore inbox;
    private final ObjectMapper json;
    private final Clock clock;

    public InboxReviewRequests(InboxStore inbox, ObjectMapper json, Clock clock) {
        this.inbox = Objects.requireNonNull(inbox, "inbox == null");
        this.json = Objects.requireNonNull(json, "json == null");
        this.clock = Objects.requireNonNull(clock, "clock == null");
    }

    @Override
    public void request(String repo, int number, String why) {
        InboxMessage m = new InboxMessage.Evaluate(repo, number, why, Optional.empty());
        inbox.add(new InboxEvent("review:" + UUID.randomUUID(), InboxMessage.prKey(repo, number),
                InboxMessage.REVIEW_REQUEST, InboxMessage.encode(m, json), clock.instant()), true);
    }
}
