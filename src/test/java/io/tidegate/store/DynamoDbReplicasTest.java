package io.tidegate.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Two replicas on one set of DynamoDB tables (DynamoDB Local over HTTP, each replica its own
 * client): a dead replica's inbox event is taken over within 30 s, and one delivery received
 * by both at once is stored once, the other answered as a duplicate.
 */
@Tag("slow")
class DynamoDbReplicasTest {
    @Test
    void aKilledReplicasInboxEventIsTakenOverInUnderThirtySeconds() throws Exception {
        String prefix = DynamoDbLocal.freshPrefix();
        try (Store a = DynamoDbStore.open(DynamoDbLocal.get().client(), prefix, true);
                Store b = DynamoDbStore.open(DynamoDbLocal.get().client(), prefix, false)) {
            a.inbox().add(new InboxEvent("e-1", "acme/infra#42", "review.request", "{}",
                    Instant.now()), false);
            // replica a claims with the default lease, then dies: kill -9, no heartbeat after
            InboxWorker.Settings defaults = InboxWorker.Settings.defaults("replica-a");
            Instant claimed = Instant.now();
            assertThat(a.inbox().claim("replica-a", claimed, defaults.lease())).isPresent();

            List<Instant> handled = new CopyOnWriteArrayList<>();
            InboxWorker survivor = new InboxWorker(b.inbox(), e -> handled.add(Instant.now()),
                    Clock.systemUTC(), InboxWorker.Settings.defaults("replica-b"));
            survivor.start();
            try {
                Instant deadline = claimed.plusSeconds(40);
                while (handled.isEmpty() && Instant.now().isBefore(deadline)) {
                    Thread.sleep(100);
                }
            } finally {
                survivor.close();
            }
            assertThat(handled).hasSize(1);
            Duration takeover = Duration.between(claimed, handled.get(0));
            System.out.println("inbox takeover after a killed replica: " + takeover);
            assertThat(takeover).isLessThan(Duration.ofSeconds(30));
            assertThat(b.inbox().status("e-1").orElseThrow().state())
                    .isEqualTo(InboxState.PROCESSED);
        }
    }

    @Test
    void aKilledReplicaRestartedWithItsIdResumesItsEventAndEffectAtOnce() throws Exception {
        String prefix = DynamoDbLocal.freshPrefix();
        try (Store a = DynamoDbStore.open(DynamoDbLocal.get().client(), prefix, true)) {
            a.inbox().add(new InboxEvent("e-1", "acme/infra#42", "review.request", "{}",
                    Instant.now()), false);
            a.outbox().enqueue(new Effect("status:1", "github.status", "{}"),
                    Instant.now());
            // replica a (TIDEGATE_REPLICA_ID=a) claims both with the default leases, then dies
            Instant claimed = Instant.now();
            assertThat(a.inbox().claim("inbox-a", claimed,
                    InboxWorker.Settings.defaults("inbox-a").lease())).isPresent();
            assertThat(a.outbox().claimDue("outbox-a", claimed,
                    OutboxDispatcher.Settings.defaults("outbox-a").lease(), 10)).hasSize(1);
        }
        // another replica's live lease is not taken by a's restart
        try (Store other = DynamoDbStore.open(DynamoDbLocal.get().client(), prefix, false)) {
            other.inbox().add(new InboxEvent("e-2", "acme/infra#43", "review.request", "{}",
                    Instant.now()), false);
            assertThat(other.inbox().claim("inbox-b", Instant.now(), Duration.ofSeconds(20)))
                    .isPresent();
        }
        try (Store restarted = DynamoDbStore.open(DynamoDbLocal.get().client(), prefix, false)) {
            Instant start = Instant.now();
            assertThat(restarted.inbox().releaseHeldBy("inbox-a", start)).isEqualTo(1);
            assertThat(restarted.outbox().releaseHeldBy("outbox-a", start)).isEqualTo(1);
            List<Instant> handled = new CopyOnWriteArrayList<>();
            InboxWorker worker = new InboxWorker(restarted.inbox(),
                    e -> handled.add(Instant.now()), Clock.systemUTC(),
                    InboxWorker.Settings.defaults("inbox-a"));
            worker.start();
            try {
                Instant deadline = start.plusSeconds(30);
                while (handled.isEmpty() && Instant.now().isBefore(deadline)) {
                    Thread.sleep(50);
                }
            } finally {
                worker.close();
            }
            assertThat(handled).hasSize(1);
            Duration resumed = Duration.between(start, handled.get(0));
            System.out.println("inbox event resumed after a restart with the same id: "
                    + resumed);
            assertThat(resumed).isLessThan(Duration.ofSeconds(5));
            assertThat(restarted.inbox().status("e-1").orElseThrow().state())
                    .isEqualTo(InboxState.PROCESSED);
            // the effect is due again now, for whoever dispatches first
            assertThat(restarted.outbox().claimDue("outbox-a", Instant.now(),
                    Duration.ofSeconds(20), 10)).singleElement()
                    .satisfies(c -> assertThat(c.attempt()).isEqualTo(2));
            assertThat(restarted.inbox().status("e-2").orElseThrow().state())
                    .isEqualTo(InboxState.PENDING);
            assertThat(restarted.inbox().releaseHeldBy("inbox-a", Instant.now())).isZero();
        }
    }

    @Test
    void oneDeliveryReceivedByTwoReplicasAtOnceIsStoredOnceAndTheOtherIsADuplicate()
            throws Exception {
        String prefix = DynamoDbLocal.freshPrefix();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try (Store a = DynamoDbStore.open(DynamoDbLocal.get().client(), prefix, true);
                Store b = DynamoDbStore.open(DynamoDbLocal.get().client(), prefix, false)) {
            for (int i = 0; i < 30; i++) {
                InboxEvent e = new InboxEvent("delivery-" + i, "acme/infra#" + i,
                        "github.webhook", "{}", Instant.now());
                CyclicBarrier together = new CyclicBarrier(2);
                List<Future<Boolean>> answers = new ArrayList<>();
                for (Store replica : List.of(a, b)) {
                    answers.add(pool.submit(() -> {
                        together.await();
                        return replica.acceptDelivery(e, true);
                    }));
                }
                // neither throws (a 503 to GitHub); exactly one is new, the other a duplicate
                assertThat(List.of(answers.get(0).get(), answers.get(1).get()))
                        .as("delivery %d", i).containsExactlyInAnyOrder(true, false);
            }
            assertThat(a.inbox().countPending()).isEqualTo(30);
        } finally {
            pool.shutdownNow();
        }
    }
}
