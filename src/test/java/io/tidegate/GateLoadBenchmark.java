package io.tidegate;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.tidegate.wiring.Server;
import io.tidegate.wiring.Config;

/**
 * Not a test: a small load run of {@code POST /api/v1/atlantis/gate} against the whole server
 * ({@link Server#start(Config, Clock)}, SQLite store, default policy) with GitHub on WireMock at
 * loopback, so every call reads the PR, its reviews and (cached) team memberships over HTTP,
 * decides, writes the audit row and, for an apply, takes the lock and saves a deployment. Prints
 * p50/p90/p99/max as the client sees them. Run from the project root after
 * {@code ./mvnw test-compile}:
 *
 * <pre>
 * ./mvnw -q dependency:build-classpath -Dmdep.outputFile=cp.txt
 * java -cp target/classes:target/test-classes:$(cat cp.txt) \
 *     -Dtidegate.fixtures=../shared/fixtures io.tidegate.GateLoadBenchmark
 * </pre>
 */
public final class GateLoadBenchmark {
    private static final String TOKEN = "bench-token-0123456789abcdef";
    private static final String SHA = "6dcb09b5b57875f334f61aebed695e2e4193db5e";

    private GateLoadBenchmark() {}

    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory("tidegate-bench");
        WireMockServer github = AtlantisGitHub.start(SHA);
        Clock monday10Kst = Clock.fixed(Instant.parse("2026-11-23T01:00:00Z"), ZoneOffset.UTC);
        Config config = Config.from(Map.of(
                "TIDEGATE_BIND_ADDRESS", "127.0.0.1", "TIDEGATE_PORT", "0",
                "TIDEGATE_API_TOKEN", TOKEN, "TIDEGATE_DATA_DIR", dir.toString(),
                "TIDEGATE_POLICY", "policies/policy.yaml", "TIDEGATE_DRY_RUN", "true",
                "GITHUB_TOKEN", "ghp_benchToken0123456789abcdefABCDEF",
                "GITHUB_API_URL", "http://127.0.0.1:" + github.port()));
        try (Server.Running server = Server.start(config, monday10Kst)) {
            String base = "http://127.0.0.1:" + server.port();
            report(base);
            HttpClient client = HttpClient.newHttpClient();
            run(client, base, "plan", "atlantis", 200, 1); // warm-up: JIT, pools, caches
            print("plan (autoplan), 1 client", run(client, base, "plan", "atlantis", 1000, 1));
            print("apply (allowed: lock + deployment), 1 client",
                    run(client, base, "apply", "lead1", 500, 1));
            print("apply (denied: actor-not-allowed), 1 client",
                    run(client, base, "apply", "dev1", 500, 1));
            print("plan, 4 clients", run(client, base, "plan", "atlantis", 2000, 4));
        } finally {
            github.stop();
        }
    }

    private static void report(String base) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("sh", "atlantis/tidegate-hook", "report")
                .redirectErrorStream(true);
        pb.environment().putAll(env(base, "plan", "dev1"));
        pb.environment().put("SHOWFILE",
                Fixtures.path("terraform/plan.aws.create.small.json").toString());
        pb.environment().put("TIDEGATE_INFRACOST_FILE",
                Fixtures.path("infracost/breakdown.plan-json.increase.json").toString());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException("report failed: " + out);
        }
    }

    private static Map<String, String> env(String base, String command, String user) {
        return Map.ofEntries(Map.entry("TIDEGATE_URL", base),
                Map.entry("TIDEGATE_API_TOKEN", TOKEN), Map.entry("BASE_REPO_OWNER", "acme"),
                Map.entry("BASE_REPO_NAME", "infra"), Map.entry("PULL_NUM", "42"),
                Map.entry("HEAD_COMMIT", SHA), Map.entry("HEAD_BRANCH_NAME", "feature/x"),
                Map.entry("BASE_BRANCH_NAME", "main"), Map.entry("PULL_AUTHOR", "dev1"),
                Map.entry("PROJECT_NAME", "prod-environment"),
                Map.entry("REPO_REL_DIR", "environments/prod"), Map.entry("WORKSPACE", "prod"),
                Map.entry("USER_NAME", user));
    }

    private static long[] run(HttpClient client, String base, String command, String user,
            int calls, int threads) throws Exception {
        String body = "{\"command\":\"" + command + "\",\"base_repo_owner\":\"acme\","
                + "\"base_repo_name\":\"infra\",\"head_branch_name\":\"feature/x\","
                + "\"base_branch_name\":\"main\",\"pull_num\":\"42\",\"pull_author\":\"dev1\","
                + "\"head_commit\":\"" + SHA + "\",\"project_name\":\"prod-environment\","
                + "\"repo_rel_dir\":\"environments/prod\",\"workspace\":\"prod\","
                + "\"user_name\":\"" + user + "\"}";
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/api/v1/atlantis/gate"))
                .header("Authorization", "Bearer " + TOKEN)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<long[]>> parts = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                parts.add(pool.submit(() -> timed(client, request, calls / threads)));
            }
            long[] all = new long[0];
            for (Future<long[]> f : parts) {
                long[] part = f.get();
                long[] joined = Arrays.copyOf(all, all.length + part.length);
                System.arraycopy(part, 0, joined, all.length, part.length);
                all = joined;
            }
            return all;
        } finally {
            pool.shutdown();
        }
    }

    private static long[] timed(HttpClient client, HttpRequest request, int calls)
            throws Exception {
        long[] nanos = new long[calls];
        for (int i = 0; i < calls; i++) {
            long t0 = System.nanoTime();
            HttpResponse<String> r = client.send(request, HttpResponse.BodyHandlers.ofString());
            nanos[i] = System.nanoTime() - t0;
            if (r.statusCode() != 200 && r.statusCode() != 403) {
                throw new IllegalStateException(r.statusCode() + " " + r.body());
            }
        }
        return nanos;
    }

    private static void print(String what, long[] nanos) {
        long[] s = nanos.clone();
        Arrays.sort(s);
        System.out.printf("%-48s n=%d p50=%.2f ms p90=%.2f ms p99=%.2f ms max=%.2f ms%n", what,
                s.length, ms(s, 0.50), ms(s, 0.90), ms(s, 0.99), s[s.length - 1] / 1e6);
    }

    private static double ms(long[] sorted, double q) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)] / 1e6;
    }
}
