package io.tidegate.review;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tidegate.TestClock;
import io.tidegate.policy.PolicyParser;
import io.tidegate.store.InboxClaim;
import io.tidegate.store.ScheduledReview;
import io.tidegate.store.SqliteStore;
import io.tidegate.store.Store;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The schedule's timer: due entries become one inbox review each, by whoever looks first. */
class ReviewSchedulerTest {
    static final Instant T0 = Instant.parse("2026-11-23T00:00:00Z");

    @TempDir
    Path dir;
    Store store;
    PolicySource policy;
    final ObjectMapper json = new ObjectMapper();

    @BeforeEach
    void open() throws Exception {
        store = SqliteStore.openIn(dir);
        policy = PolicySource.of(PolicyParser.parse(Path.of("policies/policy.yaml")));
    }

    @AfterEach
    void close() {
        store.close();
    }

    private ReviewScheduler scheduler(Clock clock) {
        return new ReviewScheduler(store.schedule(), new InboxReviewRequests(store.inbox(),
                store.schedule(), json, clock), policy, clock, Duration.ofSeconds(10));
    }

    private void plan(int pr, Instant due) {
        store.schedule().save(new ScheduledReview("acme/infra", pr, "abc", Optional.of(due),
                "production", "production-hours opens", Set.of("production"), Set.of(), T0),
                "{}");
    }

    private Optional<InboxMessage> nextInboxMessage(Instant now) {
        return store.inbox().claim("test", now, Duration.ofMinutes(1)).map(InboxClaim::event)
                .map(e -> InboxMessage.decode(e.payload(), json));
    }

    @Test
    void aDueEntryIsQueuedOnceAsATimeReviewWhoeverLooksAndHowOften() {
        TestClock clock = new TestClock(T0);
        plan(42, T0.plusSeconds(60));
        ReviewScheduler one = scheduler(clock);
        ReviewScheduler other = scheduler(clock);
        one.runOnce(); // the first look only notes the policy (nothing to re-plan but 42)
        drain(clock.instant());
        assertThat(one.runOnce()).contains(T0.plusSeconds(60));

        clock.advance(Duration.ofSeconds(60));
        one.runOnce();
        other.runOnce();
        one.runOnce();
        assertThat(nextInboxMessage(clock.instant())).contains(new InboxMessage.Evaluate(
                "acme/infra", 42, "production-hours opens", Optional.empty(),
                ReviewTrigger.TIME));
        assertThat(nextInboxMessage(clock.instant())).isEmpty();
        assertThat(store.schedule().get("acme/infra", 42).orElseThrow().dueAt()).isEmpty();
    }

    @Test
    void theTimerFiresAtTheDueInstantOfARealClockWithNoWakeUp() throws Exception {
        Clock clock = Clock.systemUTC();
        try (ReviewScheduler s = scheduler(clock).start()) {
            Thread.sleep(300); // its first look has passed: only the timer can fire the entry
            drain(clock.instant());
            Instant due = clock.instant().plusMillis(700);
            plan(42, due);
            s.planned(due);
            Instant deadline = Instant.now().plusSeconds(8);
            Optional<InboxMessage> m = Optional.empty();
            while (m.isEmpty() && Instant.now().isBefore(deadline)) {
                Thread.sleep(50);
                m = nextInboxMessage(clock.instant());
            }
            assertThat(m).map(x -> ((InboxMessage.Evaluate) x).trigger())
                    .contains(ReviewTrigger.TIME);
            // fired by the timer armed for the instant, long before the 10 s resync
            assertThat(Instant.now()).isBefore(due.plusSeconds(5));
        }
    }

    @Test
    void aPolicyChangeQueuesOnePolicyReviewPerScheduledPullRequest() throws Exception {
        TestClock clock = new TestClock(T0);
        plan(42, T0.plusSeconds(3600));
        plan(43, T0.plusSeconds(7200));
        scheduler(clock).runOnce();
        scheduler(clock).runOnce(); // a second replica noticing the same policy adds nothing
        assertThat(nextInboxMessage(T0)).map(m -> ((InboxMessage.Evaluate) m).trigger())
                .contains(ReviewTrigger.POLICY);
        assertThat(nextInboxMessage(T0)).map(m -> ((InboxMessage.Evaluate) m).number())
                .contains(43);
        assertThat(nextInboxMessage(T0)).isEmpty();
    }

    /** Finishes what the first look queued (the policy pass). */
    private void drain(Instant now) {
        Optional<InboxClaim> c;
        while ((c = store.inbox().claim("test", now, Duration.ofMinutes(1))).isPresent()) {
            store.inbox().markProcessed(c.get(), now);
        }
    }
}
