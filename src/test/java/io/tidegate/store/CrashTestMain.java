package io.tidegate.store;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/**
 * A test-only server process for {@link CrashSafetyTest}: the real SQLite store, inbox worker
 * and outbox dispatcher. Each inbox event becomes one effect ("post a comment") whose performer
 * checks the HTTP remote for the idempotency key before posting. Exits 0 once every event is
 * processed and every effect done. Arguments: data dir, remote base URL, number of events.
 */
public final class CrashTestMain {
    public static final String KIND = "remote.comment";

    private CrashTestMain() {}

    public static void main(String[] args) throws Exception {
        Path dataDir = Path.of(args[0]);
        URI remote = URI.create(args[1]);
        int events = Integer.parseInt(args[2]);
        Clock clock = Clock.systemUTC();
        HttpClient http = HttpClient.newHttpClient();
        try (SqliteStore store = SqliteStore.openIn(dataDir)) {
            InboxHandler handler = e -> {
                Thread.sleep(40); // work worth being killed in the middle of
                store.outbox().enqueue(new Effect("comment-" + e.id(), KIND, e.payload()),
                        clock.instant());
            };
            EffectPerformer performer = (effect, attempt) -> perform(http, remote, effect);
            InboxWorker worker = new InboxWorker(store.inbox(), handler, clock,
                    new InboxWorker.Settings("crash-worker-" + ProcessHandle.current().pid(), 2,
                            Duration.ofSeconds(2), Duration.ofMillis(20), 10,
                            Duration.ofMillis(100), Duration.ofSeconds(1)));
            OutboxDispatcher dispatcher = new OutboxDispatcher(store.outbox(),
                    Map.of(KIND, performer), clock,
                    new OutboxDispatcher.Settings("crash-dispatcher-"
                            + ProcessHandle.current().pid(), Duration.ofSeconds(2), 5,
                            Duration.ofMillis(20), 10, Duration.ofMillis(100),
                            Duration.ofSeconds(1)), Math::random);
            worker.start();
            dispatcher.start();
            while (!allDone(store, events)) {
                Thread.sleep(50);
            }
            worker.close();
            dispatcher.close();
        }
        System.out.println("ALL DONE");
        System.exit(0);
    }

    /** Asks the remote first, so a retry after a crash never posts a second time. */
    private static PerformResult perform(HttpClient http, URI remote, Effect effect)
            throws Exception {
        URI uri = remote.resolve("/effects/" + effect.idempotencyKey());
        int found = http.send(HttpRequest.newBuilder(uri).GET().build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
        if (found == 200) {
            return PerformResult.done();
        }
        int posted = http.send(HttpRequest.newBuilder(uri)
                .POST(HttpRequest.BodyPublishers.ofString(effect.payload())).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
        Thread.sleep(20); // a window between performing and recording it
        return posted == 201 ? PerformResult.done() : PerformResult.retry("HTTP " + posted);
    }

    static boolean allDone(Store store, int events) {
        if (store.inbox().countPending() > 0) {
            return false;
        }
        for (int i = 0; i < events; i++) {
            var entry = store.outbox().get("comment-e" + i);
            if (entry.isEmpty() || entry.get().state() != OutboxState.DONE) {
                return false;
            }
        }
        return true;
    }
}
