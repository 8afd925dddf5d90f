package io.tidegate.store;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;

/**
 * A small benchmark, not a test: inbox inserts per second and lock acquire latency on SQLite
 * (a temp file) and on DynamoDB Local (in process, over HTTP). Run it by hand:
 * {@code java -cp target/classes:target/test-classes:<test classpath>
 * io.tidegate.store.StoreBenchmark [inserts] [locks]}. Figures depend on the machine; DynamoDB
 * Local says little about real DynamoDB latency, which is network-bound.
 */
public final class StoreBenchmark {
    private StoreBenchmark() {}

    public static void main(String[] args) throws Exception {
        int inserts = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        int locks = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        Path dir = Files.createTempDirectory("tidegate-bench");
        try (Store sqlite = SqliteStore.openIn(dir)) {
            run("sqlite", sqlite, inserts, locks);
        }
        try (Store dynamo = DynamoDbLocal.get().openFresh()) {
            run("dynamodb-local", dynamo, inserts / 4, locks / 4);
        }
        System.exit(0);
    }

    private static void run(String name, Store store, int inserts, int locks) {
        warmUp(store);
        Instant t0 = Instant.now();
        long start = System.nanoTime();
        for (int i = 0; i < inserts; i++) {
            store.inbox().add(new InboxEvent(name + "-" + i, "acme/infra#" + (i % 50),
                    "issue_comment", "{\"comment\":\"atlantis plan\"}", t0), false);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("%-15s inbox inserts: %d in %.2f s = %.0f inserts/s%n", name, inserts,
                seconds, inserts / seconds);

        long[] nanos = new long[locks];
        for (int i = 0; i < locks; i++) {
            long s = System.nanoTime();
            LockResult r = store.locks().acquire("production", "pr-" + i, t0,
                    LockStore.DEFAULT_TTL);
            nanos[i] = System.nanoTime() - s;
            if (!(r instanceof LockResult.Acquired)) {
                throw new IllegalStateException("lock not acquired: " + r);
            }
            store.locks().release("production", "pr-" + i);
        }
        Arrays.sort(nanos);
        System.out.printf("%-15s lock acquire (n=%d): p50 %.2f ms, p90 %.2f ms, p99 %.2f ms%n",
                name, locks, ms(nanos[locks / 2]), ms(nanos[locks * 9 / 10]),
                ms(nanos[Math.min(locks - 1, locks * 99 / 100)]));
    }

    private static void warmUp(Store store) {
        Instant t = Instant.now();
        for (int i = 0; i < 50; i++) {
            store.inbox().add(new InboxEvent("warm-" + i, "warm", "x", "{}", t), false);
            store.locks().acquire("warm", "w" + i, t, Duration.ofMinutes(1));
            store.locks().release("warm", "w" + i);
        }
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }
}
