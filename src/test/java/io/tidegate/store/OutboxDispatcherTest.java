package io.tidegate.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidegate.TestClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutboxDispatcherTest {
    static final Instant T0 = Instant.parse("2026-11-20T09:00:00Z");

    @TempDir
    Path dir;
    SqliteStore store;
    TestClock clock = new TestClock(T0);
    OutboxDispatcher.Settings settings = new OutboxDispatcher.Settings("d1",
            Duration.ofMinutes(2), 10, Duration.ofMillis(10), 4, Duration.ofSeconds(10),
            Duration.ofMinutes(5));

    /** The remote: what was performed, by idempotency key, in order. */
    List<String> performed = new CopyOnWriteArrayList<>();

    @BeforeEach
    void open() {
        store = SqliteStore.openIn(dir);
    }

    @AfterEach
    void close() {
        store.close();
    }

    OutboxDispatcher dispatcher(EffectPerformer performer) {
        // jitter fixed at 0.5: a delay d becomes d/2 + d/4
        return new OutboxDispatcher(store.outbox(), Map.of("github.comment", performer), clock,
                settings, () -> 0.5);
    }

    void enqueue(String key) {
        store.outbox().enqueue(new Effect(key, "github.comment", "{\"body\":\"hi\"}"),
                clock.instant());
    }

    @Test
    void dueEffectIsPerformedWithItsKeyAndMarkedDone() {
        enqueue("comment-1");
        int attempts = dispatcher((e, attempt) -> {
            performed.add(e.idempotencyKey() + "@" + attempt);
            return PerformResult.done();
        }).drain();
        assertThat(attempts).isEqualTo(1);
        assertThat(performed).containsExactly("comment-1@1");
        assertThat(store.outbox().get("comment-1").orElseThrow().state())
                .isEqualTo(OutboxState.DONE);
    }

    @Test
    void failedEffectBacksOffExponentiallyWithJitter() {
        enqueue("k");
        OutboxDispatcher d = dispatcher((e, attempt) -> PerformResult.retry("HTTP 503"));
        d.drain();
        // attempt 1: 10 s backoff, jittered to 5 s + 2.5 s
        assertThat(store.outbox().get("k").orElseThrow().nextAttemptAt())
                .isEqualTo(T0.plusMillis(7_500));
        clock.advance(Duration.ofMillis(7_500));
        d.drain();
        // attempt 2: 20 s backoff, jittered to 15 s
        assertThat(store.outbox().get("k")).contains(new OutboxEntry(
                new Effect("k", "github.comment", "{\"body\":\"hi\"}"), OutboxState.PENDING, 2,
                T0, clock.instant().plusSeconds(15), Optional.of("HTTP 503")));
    }

    @Test
    void retryAfterHintFromThePerformerIsHonoured() {
        enqueue("k");
        dispatcher((e, attempt) -> PerformResult.retryAfter("rate limited",
                Duration.ofMinutes(42))).drain();
        assertThat(store.outbox().get("k").orElseThrow().nextAttemptAt())
                .isEqualTo(T0.plus(Duration.ofMinutes(42)));
    }

    @Test
    void effectIsGivenUpAfterMaxAttemptsWithTheErrorKept() {
        enqueue("k");
        OutboxDispatcher d = dispatcher((e, attempt) -> {
            throw new java.io.IOException("connection reset");
        });
        for (int i = 0; i < 4; i++) {
            d.drain();
            clock.advance(Duration.ofMinutes(10));
        }
        OutboxEntry entry = store.outbox().get("k").orElseThrow();
        assertThat(entry.state()).isEqualTo(OutboxState.GAVE_UP);
        assertThat(entry.attempts()).isEqualTo(4);
        assertThat(entry.lastError())
                .contains("IOException: connection reset (gave up after 4 attempts)");
        assertThat(d.drain()).isZero();
    }

    @Test
    void retriesAndGiveUpsAreCountedPerEffectKind() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        enqueue("flaky");
        store.outbox().enqueue(new Effect("lost", "carrier.pigeon", "{}"), T0);
        OutboxDispatcher d = dispatcher((e, attempt) -> PerformResult.retry("HTTP 503"));
        d.bindTo(registry);
        for (int i = 0; i < 4; i++) {
            d.drain();
            clock.advance(Duration.ofMinutes(10));
        }
        // flaky: attempts 1-3 retried, attempt 4 given up; the pigeon has no performer
        assertThat(registry.get("tidegate.outbox.retries").tag("kind", "github.comment")
                .counter().count()).isEqualTo(3.0);
        assertThat(registry.get("tidegate.outbox.failures").tag("kind", "github.comment")
                .counter().count()).isEqualTo(1.0);
        assertThat(registry.get("tidegate.outbox.failures").tag("kind", "carrier.pigeon")
                .counter().count()).isEqualTo(1.0);
    }

    @Test
    void permanentFailureIsGivenUpAtOnce() {
        enqueue("k");
        dispatcher((e, attempt) -> PerformResult.permanent("HTTP 404: no such pull request"))
                .drain();
        OutboxEntry entry = store.outbox().get("k").orElseThrow();
        assertThat(entry.state()).isEqualTo(OutboxState.GAVE_UP);
        assertThat(entry.lastError()).contains("HTTP 404: no such pull request");
    }

    @Test
    void effectOfAKindWithNoPerformerIsGivenUp() {
        store.outbox().enqueue(new Effect("k", "carrier.pigeon", "{}"), T0);
        dispatcher((e, attempt) -> PerformResult.done()).drain();
        assertThat(store.outbox().get("k").orElseThrow().lastError())
                .contains("no performer for effect kind 'carrier.pigeon'");
    }

    @Test
    void retryAfterACrashBetweenPerformingAndRecordingDoesNotPerformTwice() throws Exception {
        enqueue("comment-1");
        Set<String> remote = ConcurrentHashMap.newKeySet();
        EffectPerformer idempotent = (e, attempt) -> {
            if (remote.contains(e.idempotencyKey())) {
                return PerformResult.done();
            }
            remote.add(e.idempotencyKey());
            performed.add(e.idempotencyKey());
            return PerformResult.done();
        };
        // a dispatcher performs, then dies before recording success: only the claim remains
        OutboxClaim lost = store.outbox().claimDue("dead", T0, settings.lease(), 1).get(0);
        idempotent.perform(lost.effect(), lost.attempt());
        clock.advance(settings.lease());
        dispatcher(idempotent).drain();
        assertThat(performed).containsExactly("comment-1");
        assertThat(store.outbox().get("comment-1").orElseThrow())
                .extracting(OutboxEntry::state, OutboxEntry::attempts)
                .containsExactly(OutboxState.DONE, 2);
    }

    @Test
    void startedDispatcherPerformsEffectsInTheBackground() throws Exception {
        for (int i = 0; i < 5; i++) {
            enqueue("k" + i);
        }
        OutboxDispatcher d = dispatcher((e, attempt) -> {
            performed.add(e.idempotencyKey());
            return PerformResult.done();
        });
        d.start();
        try {
            io.tidegate.Poll.until("5 effects performed", () -> performed.size() >= 5);
        } finally {
            d.close();
        }
        assertThat(performed).containsExactlyInAnyOrder("k0", "k1", "k2", "k3", "k4");
    }
}
