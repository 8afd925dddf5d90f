package io.tidegate;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;

/**
 * How long {@code POST /webhooks/github} takes to answer (signature, parse, inbox add, reply)
 * with workers running behind it. Run by hand:
 * {@code java -cp target/classes:target/test-classes:$(cat cp.txt) -Dtidegate.fixtures=...
 * io.tidegate.WebhookLatencyBenchmark}. Not a test: prints figures, asserts nothing.
 */
public final class WebhookLatencyBenchmark {
    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory("tidegate-bench");
        byte[] body = Fixtures.bytes("github/pull_request.synchronize.json");
        try (FakeGitHub github = new FakeGitHub("ec26c3e57ca3a959ca5aad62de7213c562f8c821");
                GitHubServer server = new GitHubServer(dir, github,
                        new TestClock(Instant.parse("2026-11-22T12:00:00Z")),
                        GitHubServer.SECRET)) {
            for (int i = 0; i < 100; i++) { // warm-up
                server.send("pull_request", body);
            }
            int n = 500;
            long[] nanos = new long[n];
            for (int i = 0; i < n; i++) {
                long t = System.nanoTime();
                HttpResponse<String> r = server.send("pull_request", body);
                nanos[i] = System.nanoTime() - t;
                if (r.statusCode() != 202) {
                    throw new IllegalStateException("unexpected " + r.statusCode());
                }
            }
            Arrays.sort(nanos);
            System.out.printf("webhook round trip over %d signed synchronize deliveries: "
                    + "p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, max %.2f ms%n", n,
                    nanos[n / 2] / 1e6, nanos[n * 9 / 10] / 1e6, nanos[n * 99 / 100] / 1e6,
                    nanos[n - 1] / 1e6);
        }
    }
}
