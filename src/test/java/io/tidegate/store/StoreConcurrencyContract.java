package io.tidegate.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Races on every engine: many threads over two store instances that share the same data, as
 * two replicas would. Whatever the interleaving, one lock has one holder, one event one
 * worker, one delivery id one first sighting.
 */
abstract class StoreConcurrencyContract {
    static final Instant T0 = Instant.parse("2026-11-20T09:00:00Z");
    static final int THREADS = 12;

    Store replicaA;
    Store replicaB;
    ExecutorService pool;

    /** A fresh store, and a second instance over the same data. */
    abstract Store openFirst() throws Exception;

    abstract Store openSecond() throws Exception;

    @BeforeEach
    void open() throws Exception {
        replicaA = openFirst();
        replicaB = openSecond();
        pool = Executors.newFixedThreadPool(THREADS);
    }

    @AfterEach
    void close() throws Exception {
        pool.shutdownNow();
        pool.awaitTermination(10, TimeUnit.SECONDS);
        replicaA.close();
        replicaB.close();
    }

    Store replica(int i) {
        return i % 2 == 0 ? replicaA : replicaB;
    }

    /** Runs {@code THREADS} copies of a task released at the same moment. */
    <T> List<T> race(RaceTask<T> task) throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        List<Future<T>> futures = new ArrayList<>();
        for (int i = 0; i < THREADS; i++) {
            int n = i;
            Callable<T> c = () -> {
                start.await();
                return task.run(n, replica(n));
            };
            futures.add(pool.submit(c));
        }
        start.countDown();
        List<T> out = new ArrayList<>();
        for (Future<T> f : futures) {
            out.add(f.get(60, TimeUnit.SECONDS));
        }
        return out;
    }

    @FunctionalInterface
    interface RaceTask<T> {
        T run(int thread, Store store) throws Exception;
    }

    @Test
    void racingForAFreeLockLeavesExactlyOneHolder() throws Exception {
        for (int round = 0; round < 5; round++) {
            String env = "env-" + round;
            List<LockResult> results = race((n, s) -> s.locks().acquire(env, "owner-" + n, T0,
                    LockStore.DEFAULT_TTL));
            List<LockResult> won = results.stream()
                    .filter(r -> r instanceof LockResult.Acquired).toList();
            assertThat(won).hasSize(1);
            String winner = won.get(0).lock().owner();
            assertThat(results).allSatisfy(r -> assertThat(r.lock().owner()).isEqualTo(winner));
            assertThat(replicaB.locks().current(env, T0).orElseThrow().owner()).isEqualTo(winner);
        }
    }

    @Test
    void racingForAnExpiredLockLeavesExactlyOneNewHolder() throws Exception {
        replicaA.locks().acquire("production", "crashed-replica", T0, Duration.ofMinutes(30));
        Instant later = T0.plus(Duration.ofMinutes(31));
        List<LockResult> results = race((n, s) -> s.locks().acquire("production", "owner-" + n,
                later, LockStore.DEFAULT_TTL));
        assertThat(results).filteredOn(r -> r instanceof LockResult.Acquired).hasSize(1);
        assertThat(replicaA.locks().current("production", later).orElseThrow().owner())
                .startsWith("owner-");
    }

    @Test
    void racingDeliveriesWithTheSameIdHaveExactlyOneFirstSighting() throws Exception {
        for (int round = 0; round < 5; round++) {
            String id = "delivery-" + round;
            List<Boolean> firsts = race((n, s) -> s.deliveries().markSeen(id, T0));
            assertThat(firsts).filteredOn(b -> b).hasSize(1);
        }
    }

    @Test
    void racingWorkersClaimEachInboxEventOnceAndOneKeyAtATime() throws Exception {
        int keys = 8;
        int perKey = 4;
        for (int i = 0; i < perKey; i++) {
            for (int k = 0; k < keys; k++) {
                replicaA.inbox().add(new InboxEvent("e-" + k + "-" + i, "pr-" + k, "x", "{}", T0),
                        false);
            }
        }
        Set<String> busyKeys = ConcurrentHashMap.newKeySet();
        List<String> overlaps = new CopyOnWriteArrayList<>();
        Map<String, List<String>> orderPerKey = new ConcurrentHashMap<>();
        List<String> claimed = new CopyOnWriteArrayList<>();
        race((n, s) -> {
            int idle = 0;
            while (idle < 3) {
                var claim = s.inbox().claim("worker-" + n, T0, Duration.ofHours(1));
                if (claim.isEmpty()) {
                    idle++;
                    Thread.sleep(20);
                    continue;
                }
                idle = 0;
                InboxEvent e = claim.get().event();
                if (!busyKeys.add(e.orderingKey())) {
                    overlaps.add(e.id());
                }
                claimed.add(e.id());
                orderPerKey.computeIfAbsent(e.orderingKey(), k -> new CopyOnWriteArrayList<>())
                        .add(e.id());
                busyKeys.remove(e.orderingKey());
                assertThat(s.inbox().markProcessed(claim.get(), T0)).isTrue();
            }
            return null;
        });
        assertThat(overlaps).isEmpty();
        assertThat(claimed).hasSize(keys * perKey).doesNotHaveDuplicates();
        for (int k = 0; k < keys; k++) {
            assertThat(orderPerKey.get("pr-" + k))
                    .containsExactly("e-" + k + "-0", "e-" + k + "-1", "e-" + k + "-2",
                            "e-" + k + "-3");
        }
        assertThat(replicaB.inbox().countPending()).isZero();
    }

    @Test
    void racingWorkersTakeOverAnExpiredInboxLeaseExactlyOnce() throws Exception {
        replicaA.inbox().add(new InboxEvent("e1", "pr-1", "x", "{}", T0), false);
        replicaA.inbox().claim("dead-worker", T0, Duration.ofMinutes(5)).orElseThrow();
        Instant later = T0.plus(Duration.ofMinutes(6));
        List<Boolean> got = race((n, s) -> s.inbox().claim("worker-" + n, later,
                Duration.ofMinutes(5)).isPresent());
        assertThat(got).filteredOn(b -> b).hasSize(1);
    }

    @Test
    void racingDispatchersClaimEachEffectOnce() throws Exception {
        for (int i = 0; i < 30; i++) {
            replicaA.outbox().enqueue(new Effect("k" + i, "github.comment", "{}"), T0);
        }
        List<String> claimed = new CopyOnWriteArrayList<>();
        race((n, s) -> {
            List<OutboxClaim> mine;
            do {
                mine = s.outbox().claimDue("d-" + n, T0, Duration.ofHours(1), 3);
                mine.forEach(c -> claimed.add(c.effect().idempotencyKey()));
            } while (!mine.isEmpty());
            return null;
        });
        assertThat(claimed).hasSize(30).doesNotHaveDuplicates();
    }

    @Test
    void racingIntakesOfDistinctDeliveriesCommitEveryOne() throws Exception {
        int perThread = 25;
        // Half the threads go through acceptDelivery, half through a plain inbox add, so the
        // two paths share batches on engines that group commits.
        List<Integer> accepted = race((n, s) -> {
            int ok = 0;
            for (int i = 0; i < perThread; i++) {
                InboxEvent e = new InboxEvent("d-" + n + "-" + i, "pr-" + (i % 3), "x", "{}",
                        T0);
                boolean added = n % 2 == 0 ? s.acceptDelivery(e, false)
                        : s.inbox().add(e, false);
                ok += added ? 1 : 0;
            }
            return ok;
        });
        assertThat(accepted).containsOnly(perThread);
        for (int n = 0; n < THREADS; n++) {
            for (int i = 0; i < perThread; i++) {
                String id = "d-" + n + "-" + i;
                assertThat(replicaB.inbox().status(id)).as(id).isPresent();
                if (n % 2 == 0) {
                    assertThat(replicaB.deliveries().markSeen(id, T0)).as(id).isFalse();
                }
            }
        }
        assertThat(replicaA.inbox().countPending()).isEqualTo((long) THREADS * perThread);
    }

    @Test
    void racingAuditAppendsCommitEveryOneInEachCallersOrder() throws Exception {
        int perThread = 25;
        race((n, s) -> {
            for (int i = 0; i < perThread; i++) {
                s.audit().append(new AuditRecord(T0.plusMillis(i), "acme/infra", n + 1, "sha",
                        "p", "prod", "apply-" + i, "alice", "deny", List.of("x"), "sha256:0", "{}"));
            }
            return null;
        });
        for (int n = 0; n < THREADS; n++) {
            // newest first
            List<String> commands = replicaB.audit().forPullRequest("acme/infra", n + 1, 100)
                    .stream().map(AuditRecord::command).toList();
            List<String> expected = new ArrayList<>();
            for (int i = perThread - 1; i >= 0; i--) {
                expected.add("apply-" + i);
            }
            assertThat(commands).as("PR " + (n + 1)).isEqualTo(expected);
        }
    }

    @Test
    void racingIntakesOfTheSameDeliveryQueueItExactlyOnce() throws Exception {
        for (int round = 0; round < 5; round++) {
            InboxEvent e = new InboxEvent("d-" + round, "pr-1", "x", "{}", T0);
            List<Boolean> firsts = race((n, s) -> n % 3 == 0 ? s.inbox().add(e, true)
                    : s.acceptDelivery(e, true));
            assertThat(firsts).filteredOn(b -> b).hasSize(1);
        }
        // Each round superseded the one before: only the last is left to do.
        assertThat(replicaA.inbox().countPending()).isEqualTo(1);
        assertThat(replicaA.inbox().status("d-3").orElseThrow().state())
                .isEqualTo(InboxState.SUPERSEDED);
    }
}
