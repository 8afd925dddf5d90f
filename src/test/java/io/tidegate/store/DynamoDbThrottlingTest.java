package io.tidegate.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tidegate.TestClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;

/**
 * DynamoDB throttling ({@code ProvisionedThroughputExceededException}, {@code
 * ThrottlingException}) injected by {@link ThrottlingProxy} in front of DynamoDB Local. The SDK
 * retries a bounded number of times, then the store throws {@link StoreException}; whatever
 * happens, no accepted webhook event is lost, a lock never has two holders and no effect is
 * performed twice.
 *
 * <p>The webhook route's contract, which the intake below plays: an event is acknowledged (202)
 * only after {@code inbox().add} returned; a {@link StoreException} answers 503 (WebServer maps
 * it), so GitHub records the delivery as failed and it can be redelivered with the same id.
 */
@Tag("slow")
class DynamoDbThrottlingTest {
    static final Instant T0 = Instant.parse("2026-11-20T09:00:00Z");

    ThrottlingProxy proxy;
    String prefix;
    List<DynamoDbStore> stores = new ArrayList<>();

    @BeforeEach
    void start() {
        proxy = new ThrottlingProxy();
        prefix = DynamoDbLocal.freshPrefix();
        stores.add(DynamoDbStore.open(proxy.client(), prefix, true));
    }

    @AfterEach
    void stop() {
        stores.forEach(DynamoDbStore::close);
        proxy.close();
    }

    /** Another replica over the same tables, with its own client (and retry budget). */
    DynamoDbStore replica() {
        DynamoDbStore s = DynamoDbStore.open(proxy.client(), prefix, false);
        stores.add(s);
        return s;
    }

    DynamoDbStore store() {
        return stores.get(0);
    }

    static InboxEvent event(String id) {
        return new InboxEvent(id, "acme/infra#" + (id.hashCode() & 7), "github.webhook",
                "{\"delivery\":\"" + id + "\"}", T0);
    }

    /** The webhook route's answer for one delivery: 202 once stored, 503 if the store failed. */
    static int intake(Store store, InboxEvent e) {
        try {
            store.inbox().add(e, false); // false = a redelivery already stored: still 202
            return 202;
        } catch (StoreException failed) {
            return 503;
        }
    }

    /** Repeats a store call the way the next poll or redelivery would, until it goes through. */
    static <T> T untilStored(Supplier<T> call) {
        for (int i = 0; ; i++) {
            try {
                return call.get();
            } catch (StoreException e) {
                if (i == 200) {
                    throw e;
                }
            }
        }
    }

    @Test
    void throttledRequestIsRetriedByTheSdkAndTheWriteGoesThrough() {
        proxy.throttleNext(2);
        assertThat(store().inbox().add(event("d1"), false)).isTrue();
        assertThat(proxy.throttled()).isEqualTo(2);
        assertThat(store().inbox().status("d1")).map(InboxStatus::state)
                .contains(InboxState.PENDING);
    }

    @Test
    void persistentThrottlingEndsInStoreExceptionAfterBoundedAttemptsAndWritesNothing() {
        int before = proxy.requests();
        proxy.throttleAll();
        assertThatThrownBy(() -> store().inbox().add(event("d1"), false))
                .isInstanceOf(StoreException.class)
                .hasMessageStartingWith("DynamoDB: ")
                .hasCauseInstanceOf(DynamoDbException.class)
                .satisfies(e -> assertThat(((DynamoDbException) e.getCause()).isThrottlingException())
                        .isTrue());
        // the first call of the add (its sequence number) fails; the transaction is never sent
        assertThat(proxy.requests() - before)
                .as("one attempt and the SDK's bounded retries, no more")
                .isEqualTo(DynamoDbStore.MAX_ATTEMPTS);
        proxy.stopThrottling();
        assertThat(store().inbox().status("d1")).isEmpty();
        assertThat(store().inbox().add(event("d1"), false))
                .as("the failed add left nothing behind: the redelivery is new").isTrue();
    }

    @Test
    void noWebhookEventIsLostWhenTheInboxWriteIsThrottled() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            ids.add("delivery-" + i);
        }
        // an outage first: the first ten deliveries meet a table throttled outright
        proxy.throttleAll();
        List<String> unacknowledged = new ArrayList<>();
        for (String id : ids.subList(0, 10)) {
            assertThat(intake(store(), event(id))).isEqualTo(503);
            unacknowledged.add(id);
        }
        proxy.throttleRandomly(0.4, 42);
        unacknowledged.addAll(ids.subList(10, ids.size()));
        // GitHub's side: deliver, then redeliver whatever did not get a 2xx
        for (int round = 0; round < 50 && !unacknowledged.isEmpty(); round++) {
            List<String> again = new ArrayList<>();
            for (String id : unacknowledged) {
                if (intake(store(), event(id)) != 202) {
                    again.add(id);
                }
            }
            unacknowledged = again;
        }
        assertThat(unacknowledged).isEmpty();
        proxy.throttleRandomly(0.2, 43); // the fault goes on, lighter, while the worker runs

        Set<String> handled = ConcurrentHashMap.newKeySet();
        drainUnderThrottling(handled);
        assertThat(handled).containsExactlyInAnyOrderElementsOf(ids);
        proxy.stopThrottling();
        for (String id : ids) {
            assertThat(store().inbox().status(id)).map(InboxStatus::state)
                    .contains(InboxState.PROCESSED);
        }
        assertThat(store().inbox().countPending()).isZero();
    }

    /** Runs a worker against the still-throttled inbox until every event is processed. */
    private void drainUnderThrottling(Set<String> handled) {
        TestClock clock = new TestClock(T0);
        InboxWorker worker = new InboxWorker(store().inbox(), e -> handled.add(e.id()), clock,
                new InboxWorker.Settings("w1", 1, Duration.ofMinutes(1), Duration.ofMillis(10),
                        5, Duration.ofSeconds(1), Duration.ofSeconds(10)));
        for (int i = 0; i < 5_000 && untilStored(() -> store().inbox().countPending()) > 0; i++) {
            try {
                if (!worker.processOne()) {
                    // an event whose markProcessed was throttled waits for its lease to end
                    clock.advance(Duration.ofMinutes(2));
                }
            } catch (StoreException e) {
                // the real worker logs and polls again
            }
        }
    }

    @Test
    void lockAcquiredUnderThrottlingNeverHasTwoHolders() throws Exception {
        proxy.throttleRandomly(0.4, 7);
        List<DynamoDbStore> replicas = List.of(store(), replica());
        AtomicReference<String> holder = new AtomicReference<>();
        List<String> violations = new CopyOnWriteArrayList<>();
        AtomicInteger acquired = new AtomicInteger();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 6; t++) {
            String owner = "atlantis-" + t;
            LockStore locks = replicas.get(t % 2).locks();
            threads.add(new Thread(() -> {
                for (int i = 0; i < 25; i++) {
                    LockResult r;
                    try {
                        r = locks.acquire("production", owner, T0, Duration.ofMinutes(30));
                    } catch (StoreException e) {
                        // the gate denies; the store holds nothing for us
                        continue;
                    }
                    if (!(r instanceof LockResult.Acquired)) {
                        continue;
                    }
                    acquired.incrementAndGet();
                    if (!holder.compareAndSet(null, owner)) {
                        violations.add(owner + " acquired while " + holder.get() + " held it");
                        continue;
                    }
                    // give up our mark before the store frees the lock, so the next holder
                    // never races our bookkeeping
                    holder.set(null);
                    untilStored(() -> locks.release("production", owner));
                }
            }));
        }
        threads.forEach(Thread::start);
        for (Thread t : threads) {
            t.join();
        }
        assertThat(violations).isEmpty();
        assertThat(acquired).as("locks were taken during the fault").hasPositiveValue();
        assertThat(proxy.throttled()).as("requests were throttled").isPositive();
        proxy.stopThrottling();
        assertThat(store().locks().current("production", T0)).isEmpty();
    }

    @Test
    void outboxEffectIsNeverPerformedTwiceUnderThrottling() throws Exception {
        proxy.throttleRandomly(0.2, 11);
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            String key = "comment-" + i;
            keys.add(key);
            untilStored(() -> store().outbox().enqueue(
                    new Effect(key, "github.comment", "{\"body\":\"" + key + "\"}"), T0));
        }
        TestClock clock = new TestClock(T0);
        Map<String, Integer> remote = new ConcurrentHashMap<>();
        Set<String> inFlight = ConcurrentHashMap.newKeySet();
        List<String> violations = new CopyOnWriteArrayList<>();
        EffectPerformer github = (e, attempt) -> {
            String key = e.idempotencyKey();
            if (!inFlight.add(key)) {
                violations.add(key + " attempted by two dispatchers at once");
            }
            try {
                // like the GitHub performers: the idempotency key marks what was done
                if (!remote.containsKey(key)) {
                    remote.merge(key, 1, Integer::sum);
                }
                return PerformResult.done();
            } finally {
                inFlight.remove(key);
            }
        };
        List<OutboxDispatcher> dispatchers = List.of(
                dispatcher("d1", store(), github, clock), dispatcher("d2", replica(), github,
                        clock));
        for (int round = 0; round < 40
                && untilStored(() -> store().outbox().countPending()) > 0; round++) {
            List<Thread> threads = dispatchers.stream().map(d -> new Thread(() -> {
                for (int i = 0; i < 20; i++) {
                    try {
                        d.drain();
                    } catch (StoreException e) {
                        // the real dispatcher logs and polls again
                    }
                }
            })).toList();
            threads.forEach(Thread::start);
            for (Thread t : threads) {
                t.join();
            }
            clock.advance(Duration.ofMinutes(3)); // leases of lost claims run out
        }
        assertThat(violations).isEmpty();
        assertThat(proxy.throttled()).isPositive();
        proxy.stopThrottling();
        assertThat(remote.keySet()).containsExactlyInAnyOrderElementsOf(keys);
        assertThat(remote.values()).allMatch(n -> n == 1);
        for (String key : keys) {
            assertThat(store().outbox().get(key).orElseThrow().state())
                    .isEqualTo(OutboxState.DONE);
        }
    }

    static OutboxDispatcher dispatcher(String id, Store store, EffectPerformer performer,
            TestClock clock) {
        return new OutboxDispatcher(store.outbox(), Map.of("github.comment", performer), clock,
                new OutboxDispatcher.Settings(id, Duration.ofMinutes(2), 5, Duration.ofMillis(10),
                        10, Duration.ofSeconds(1), Duration.ofSeconds(10)), () -> 0.5);
    }
}
