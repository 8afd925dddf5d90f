package io.tidegate.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidegate.TestClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InboxWorkerTest {
    static final Instant T0 = Instant.parse("2026-11-20T09:00:00Z");

    @TempDir
    Path dir;
    SqliteStore store;
    TestClock clock = new TestClock(T0);
    List<String> handled = new CopyOnWriteArrayList<>();

    InboxWorker.Settings settings = new InboxWorker.Settings("w1", 3, Duration.ofMinutes(5),
            Duration.ofMillis(10), 3, Duration.ofSeconds(10), Duration.ofMinutes(1));

    @BeforeEach
    void open() {
        store = SqliteStore.openIn(dir);
    }

    @AfterEach
    void close() {
        store.close();
    }

    void add(String id, String key) {
        store.inbox().add(new InboxEvent(id, key, "issue_comment", "{}", clock.instant()), false);
    }

    @Test
    void eachEventIsHandedToTheHandlerAndMarkedProcessed() {
        add("e1", "pr-1");
        add("e2", "pr-2");
        InboxWorker worker = new InboxWorker(store.inbox(), e -> handled.add(e.id()), clock,
                settings);
        assertThat(worker.drain()).isEqualTo(2);
        assertThat(handled).containsExactly("e1", "e2");
        assertThat(store.inbox().status("e1").orElseThrow().state())
                .isEqualTo(InboxState.PROCESSED);
        assertThat(store.inbox().countPending()).isZero();
    }

    @Test
    void failingEventIsRetriedAfterADoublingDelayWithItsErrorKept() {
        add("e1", "pr-1");
        AtomicInteger calls = new AtomicInteger();
        InboxWorker worker = new InboxWorker(store.inbox(), e -> {
            if (calls.incrementAndGet() < 3) {
                throw new IllegalStateException("GitHub 502");
            }
        }, clock, settings);
        worker.drain();
        assertThat(store.inbox().status("e1")).contains(new InboxStatus("e1", InboxState.PENDING,
                1, Optional.of("IllegalStateException: GitHub 502")));
        clock.advance(Duration.ofSeconds(9));
        assertThat(worker.drain()).isZero();
        clock.advance(Duration.ofSeconds(1));
        assertThat(worker.drain()).isEqualTo(1);
        // second failure: the delay doubles to 20 s
        clock.advance(Duration.ofSeconds(19));
        assertThat(worker.drain()).isZero();
        clock.advance(Duration.ofSeconds(1));
        assertThat(worker.drain()).isEqualTo(1);
        assertThat(store.inbox().status("e1").orElseThrow().state())
                .isEqualTo(InboxState.PROCESSED);
    }

    @Test
    void retriesAndFailuresAreCountedPerEventKind() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        add("bad", "pr-1");
        InboxWorker worker = new InboxWorker(store.inbox(), e -> {
            throw new IllegalArgumentException("unreadable payload");
        }, clock, settings);
        worker.bindTo(registry);
        for (int i = 0; i < 3; i++) {
            worker.drain();
            clock.advance(Duration.ofMinutes(1));
        }
        assertThat(registry.get("tidegate.inbox.retries").tag("kind", "issue_comment")
                .counter().count()).isEqualTo(2.0);
        assertThat(registry.get("tidegate.inbox.failures").tag("kind", "issue_comment")
                .counter().count()).isEqualTo(1.0);
    }

    @Test
    void eventFailingEveryAttemptIsMarkedFailedAndStopsBlockingItsPullRequest() {
        add("bad", "pr-1");
        add("next", "pr-1");
        InboxWorker worker = new InboxWorker(store.inbox(), e -> {
            if (e.id().equals("bad")) {
                throw new IllegalArgumentException("unreadable payload");
            }
            handled.add(e.id());
        }, clock, settings);
        for (int i = 0; i < 3; i++) {
            worker.drain();
            clock.advance(Duration.ofMinutes(1));
        }
        assertThat(store.inbox().status("bad")).contains(new InboxStatus("bad",
                InboxState.FAILED, 3, Optional.of("IllegalArgumentException: unreadable payload")));
        worker.drain();
        assertThat(handled).containsExactly("next");
    }

    @Test
    void startedWorkerThreadsHandleEachPullRequestsEventsOneAtATimeInOrder() throws Exception {
        for (int i = 0; i < 5; i++) {
            for (int pr = 0; pr < 4; pr++) {
                add("e-" + pr + "-" + i, "pr-" + pr);
            }
        }
        Map<String, List<String>> perPr = new ConcurrentHashMap<>();
        Map<String, Boolean> busy = new ConcurrentHashMap<>();
        List<String> overlaps = new CopyOnWriteArrayList<>();
        InboxWorker worker = new InboxWorker(store.inbox(), e -> {
            if (busy.putIfAbsent(e.orderingKey(), true) != null) {
                overlaps.add(e.id());
            }
            Thread.sleep(2);
            perPr.computeIfAbsent(e.orderingKey(), k -> new CopyOnWriteArrayList<>())
                    .add(e.id());
            busy.remove(e.orderingKey());
        }, clock, settings);
        worker.start();
        try {
            io.tidegate.Poll.until("an empty inbox", () -> store.inbox().countPending() == 0);
        } finally {
            worker.close();
        }
        assertThat(overlaps).isEmpty();
        for (int pr = 0; pr < 4; pr++) {
            assertThat(perPr.get("pr-" + pr)).containsExactly("e-" + pr + "-0",
                    "e-" + pr + "-1", "e-" + pr + "-2", "e-" + pr + "-3", "e-" + pr + "-4");
        }
    }
}
