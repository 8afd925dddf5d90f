package io.tidegate.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.tidegate.Poll;
import org.junit.jupiter.api.Test;

/** The loop both queue workers run, on a fake queue of strings. */
class LeasedLoopTest {
    /** Claims come from a list, one batch per claim; renewals and work are recorded. */
    private static final class FakeQueue implements LeasedLoop.Queue<String> {
        final Deque<List<String>> batches = new ArrayDeque<>();
        final ConcurrentLinkedQueue<String> renewed = new ConcurrentLinkedQueue<>();
        final ConcurrentLinkedQueue<String> worked = new ConcurrentLinkedQueue<>();
        final AtomicInteger failuresLeft = new AtomicInteger();
        volatile CountDownLatch working = new CountDownLatch(0);

        @Override
        public synchronized List<String> claim(Instant now) {
            if (failuresLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                throw new StoreException("SQLite: claim failed: disk I/O error");
            }
            return batches.isEmpty() ? List.of() : batches.poll();
        }

        @Override
        public boolean renew(String claim, Instant until) {
            renewed.add(claim);
            return true;
        }

        @Override
        public void work(String claim) {
            try {
                working.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            worked.add(claim);
        }
    }

    private static LeasedLoop<String> loop(FakeQueue q, Duration lease) {
        return new LeasedLoop<>("test-loop", q, Clock.systemUTC(),
                new LeasedLoop.Pace(1, lease, Duration.ofMillis(10)));
    }

    @Test
    void drainWorksEveryBatchInOrderUntilNothingIsClaimed() {
        FakeQueue q = new FakeQueue();
        q.batches.add(List.of("a", "b"));
        q.batches.add(List.of("c"));
        try (LeasedLoop<String> loop = loop(q, Duration.ofSeconds(20))) {
            assertThat(loop.drain()).isEqualTo(3);
        }
        assertThat(q.worked).containsExactly("a", "b", "c");
    }

    @Test
    void everyClaimOfTheBatchIsRenewedWhileAnEarlierOneIsWorked() throws Exception {
        FakeQueue q = new FakeQueue();
        q.batches.add(List.of("first", "waiting"));
        q.working = new CountDownLatch(1);
        // a 200 ms lease beats every 50 ms
        try (LeasedLoop<String> loop = loop(q, Duration.ofMillis(200))) {
            Thread t = new Thread(loop::runOnce);
            t.start();
            Poll.until("both claims renewed", () -> q.renewed.contains("first")
                    && q.renewed.contains("waiting"));
            q.working.countDown();
            t.join(Poll.PATIENCE.toMillis());
        }
        assertThat(q.worked).containsExactly("first", "waiting");
    }

    @Test
    void aStoreFailingOverAndOverIsSaidAtEachDoublingOfTheCountAndOnceWhenItAnswersAgain()
            throws Exception {
        FakeQueue q = new FakeQueue();
        q.failuresLeft.set(20);
        q.batches.add(List.of("after the outage"));
        ch.qos.logback.classic.Logger logger = (ch.qos.logback.classic.Logger)
                org.slf4j.LoggerFactory.getLogger(LeasedLoop.class);
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> lines =
                new ch.qos.logback.core.read.ListAppender<>();
        lines.start();
        logger.addAppender(lines);
        // a 1 ms poll: the waits double from 1 ms up to 32 ms
        try (LeasedLoop<String> loop = new LeasedLoop<>("test-loop", q, Clock.systemUTC(),
                new LeasedLoop.Pace(1, Duration.ofSeconds(20), Duration.ofMillis(1)))) {
            loop.start();
            Poll.until("the claim after twenty store failures is worked",
                    () -> q.worked.contains("after the outage"));
        } finally {
            logger.detachAppender(lines);
        }
        List<String> said = lines.list.stream()
                .map(e -> e.getLevel() + " " + e.getFormattedMessage()).toList();
        assertThat(said).filteredOn(l -> l.startsWith("ERROR")).extracting(l -> l.replaceAll(
                ".*\\(failed (\\d+) times in a row; next try in (\\d+) ms\\)", "$1/$2"))
                .containsExactly("1/1", "2/2", "4/8", "8/32", "16/32");
        assertThat(said).filteredOn(l -> l.startsWith("INFO")).containsExactly(
                "INFO test-loop: the store answers again after 20 failures in a row");
    }

    @Test
    void aStoreFailureWhileClaimingDoesNotStopPolling() throws Exception {
        FakeQueue q = new FakeQueue();
        q.failuresLeft.set(2);
        q.batches.add(List.of("after the failures"));
        try (LeasedLoop<String> loop = loop(q, Duration.ofSeconds(20))) {
            loop.start();
            Poll.until("the claim after two store failures is worked",
                    () -> q.worked.contains("after the failures"));
        }
    }
}
