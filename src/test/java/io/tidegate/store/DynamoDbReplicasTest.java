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
