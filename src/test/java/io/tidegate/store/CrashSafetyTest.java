package io.tidegate.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a real server process (the SQLite store, worker and dispatcher of {@link
 * CrashTestMain}) in the middle of a batch, restarts it, and checks that every accepted event
 * was processed and that the remote saw each effect exactly once.
 */
@Tag("slow")
class CrashSafetyTest {
    static final int EVENTS = 40;

    @TempDir
    Path dir;
    HttpServer remote;
    /** POSTs per idempotency key: what the remote actually performed. */
    final Map<String, AtomicInteger> posts = new ConcurrentHashMap<>();
    /** Checks that found the effect already performed: retries the key saved from a repeat. */
    final AtomicInteger foundOnRetry = new AtomicInteger();

    @BeforeEach
    void startRemote() throws IOException {
        remote = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        remote.createContext("/effects/", this::effects);
        remote.start();
    }

    @AfterEach
    void stopRemote() {
        remote.stop(0);
    }

    private void effects(HttpExchange ex) throws IOException {
        String key = ex.getRequestURI().getPath().substring("/effects/".length());
        ex.getRequestBody().readAllBytes();
        int status;
        if (ex.getRequestMethod().equals("POST")) {
            posts.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
            status = 201;
        } else {
            status = posts.containsKey(key) ? 200 : 404;
            if (status == 200) {
                foundOnRetry.incrementAndGet();
            }
        }
        ex.sendResponseHeaders(status, -1);
        ex.close();
    }

    Process startServer(String log) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                CrashTestMain.class.getName(), dir.resolve("data").toString(),
                "http://127.0.0.1:" + remote.getAddress().getPort(), Integer.toString(EVENTS))
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve(log).toFile())
                .start();
    }

    @Test
    void killedServerLosesNoEventAndPerformsNoEffectTwiceAfterRestart() throws Exception {
        try (Store store = SqliteStore.openIn(dir.resolve("data"))) {
            for (int i = 0; i < EVENTS; i++) {
                // a few pull requests, so per-PR ordering is exercised too
                store.inbox().add(new InboxEvent("e" + i, "acme/infra#" + (i % 5), "comment",
                        "{\"n\":" + i + "}", Instant.now()), false);
            }
        }
        Process first = startServer("first.log");
        // Polled tightly (not Poll's 20 ms): the kill must land mid-batch.
        long deadline = System.nanoTime() + io.tidegate.Poll.START_UP.toNanos();
        while (totalPosts() < 8 && first.isAlive()) {
            if (System.nanoTime() - deadline > 0) {
                first.destroyForcibly();
                throw new AssertionError("the first server posted " + totalPosts()
                        + " of 8 within " + io.tidegate.Poll.START_UP.toSeconds() + " s");
            }
            Thread.sleep(5);
        }
        first.destroyForcibly();
        assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
        int postedBeforeCrash = totalPosts();
        assertThat(postedBeforeCrash).as("the kill must land mid-batch")
                .isBetween(1, EVENTS - 1);

        Process second = startServer("second.log");
        assertThat(second.waitFor(120, TimeUnit.SECONDS)).as("restarted server finishes")
                .isTrue();
        assertThat(second.exitValue()).isZero();

        assertThat(posts).hasSize(EVENTS);
        assertThat(posts.values()).allSatisfy(n -> assertThat(n.get()).isEqualTo(1));
        try (Store store = SqliteStore.openIn(dir.resolve("data"))) {
            for (int i = 0; i < EVENTS; i++) {
                assertThat(store.inbox().status("e" + i).orElseThrow().state())
                        .isEqualTo(InboxState.PROCESSED);
                assertThat(store.outbox().get("comment-e" + i).orElseThrow().state())
                        .isEqualTo(OutboxState.DONE);
            }
        }
        List<String> keys = posts.keySet().stream().sorted().toList();
        assertThat(keys).contains("comment-e0", "comment-e39");
        System.out.println("posted before the kill: " + postedBeforeCrash
                + ", effects found already performed on retry: " + foundOnRetry.get());
    }

    private int totalPosts() {
        return posts.values().stream().mapToInt(AtomicInteger::get).sum();
    }
}
