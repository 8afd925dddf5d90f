package io.tidegate.store;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small benchmark, not a test: webhook intake ({@link Store#acceptDelivery}, the inbox add
 * and the delivery mark) on SQLite from 1, 16 and 64 threads, all on one pull request as in
 * {@code bench/run} section 1, to show what group commit does under concurrency. Run it by
 * hand: {@code java -cp target/classes:target/test-classes:<test classpath>
 * io.tidegate.store.IntakeBenchmark [seconds]}. Prints {@code threads ops/s p99_ms} per row.
 */
public final class IntakeBenchmark {
    private static final String PAYLOAD = "{\"type\":\"evaluate\",\"repo\":\"acme/infra\","
            + "\"number\":42,\"why\":\"pull_request synchronize\","
            + "\"headSha\":\"ec26c3e57ca3a959ca5aad62de7213c562f8c821\"}";

    private IntakeBenchmark() {}

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        for (int threads : new int[] {1, 16, 64}) {
            Path dir = Files.createTempDirectory("tidegate-intake-bench");
            try (Store store = SqliteStore.openIn(dir)) {
                run(store, threads, seconds);
            }
        }
        System.exit(0);
    }

    private static void run(Store store, int threads, int seconds) throws Exception {
        long warm = System.nanoTime() + 1_000_000_000L;
        long end = warm + seconds * 1_000_000_000L;
        long[] latencies = new long[1 << 22];
        AtomicInteger n = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<?>> running = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            running.add(pool.submit(() -> {
                long start;
                while ((start = System.nanoTime()) < end) {
                    store.acceptDelivery(new InboxEvent(UUID.randomUUID().toString(),
                            "acme/infra#42", "webhook", PAYLOAD, Instant.now()), true);
                    if (start > warm) {
                        int i = n.getAndIncrement();
                        if (i < latencies.length) {
                            latencies[i] = System.nanoTime() - start;
                        }
                    }
                }
            }));
        }
        for (Future<?> f : running) {
            f.get();
        }
        pool.shutdown();
        long[] sorted = Arrays.copyOf(latencies, Math.min(n.get(), latencies.length));
        Arrays.sort(sorted);
        System.out.printf("threads=%d ops/s=%.0f p99_ms=%.2f%n", threads,
                n.get() / (double) seconds, sorted[(int) (sorted.length * 0.99)] / 1e6);
    }
}
