package io.tidegate.http;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tidegate.wiring.Json;
import io.tidegate.secret.Secret;
import io.tidegate.atlantis.GateAnswer;

/**
 * Not a test: prints the latency of {@code POST /api/v1/atlantis/gate} through the real routes
 * (auth, parsing, text answer) with an instant fake decision, from an HTTP client and from the
 * real {@code tidegate-hook} process. Shows the overhead the engine's own work is added to.
 * Run from the project root after {@code ./mvnw test-compile}.
 */
public final class GateLatencyBenchmark {
    private static final String TOKEN = "bench-token-0123456789";

    private GateLatencyBenchmark() {}

    public static void main(String[] args) throws Exception {
        AtlantisRoutes routes = new AtlantisRoutes(new Secret(TOKEN),
                request -> new GateAnswer.Allow("allowed"), upload -> "ok", result -> "ok");
        WebServer server = new WebServer(new WebServer.Settings("127.0.0.1", 0, Duration.ZERO),
                List.of(), new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
                List.of(routes), Json.mapper());
        int port = server.start();
        try {
            String body = "{\"command\":\"apply\",\"base_repo_owner\":\"acme\","
                    + "\"base_repo_name\":\"infra\",\"head_branch_name\":\"f\","
                    + "\"base_branch_name\":\"main\",\"pull_num\":\"42\",\"pull_author\":\"dev1\","
                    + "\"head_commit\":\"6dcb09b5b57875f334f61aebed695e2e4193db5e\","
                    + "\"project_name\":\"prod\",\"repo_rel_dir\":\"environments/prod\","
                    + "\"workspace\":\"prod\",\"user_name\":\"lead1\"}";
            HttpClient client = HttpClient.newHttpClient();
            HttpRequest request = HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + port + AtlantisRoutes.GATE))
                    .header("Authorization", "Bearer " + TOKEN)
                    .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                    .build();
            for (int i = 0; i < 2000; i++) {
                client.send(request, HttpResponse.BodyHandlers.ofString());
            }
            long[] http = new long[5000];
            for (int i = 0; i < http.length; i++) {
                long t0 = System.nanoTime();
                HttpResponse<String> r = client.send(request, HttpResponse.BodyHandlers.ofString());
                http[i] = System.nanoTime() - t0;
                if (r.statusCode() != 200) {
                    throw new AssertionError(r.body());
                }
            }
            print("HTTP client -> gate route", http);
            long[] hook = new long[200];
            for (int i = 0; i < hook.length; i++) {
                ProcessBuilder pb = new ProcessBuilder("sh", "atlantis/tidegate-hook", "gate")
                        .redirectErrorStream(true);
                pb.environment().put("TIDEGATE_URL", "http://127.0.0.1:" + port);
                pb.environment().put("TIDEGATE_API_TOKEN", TOKEN);
                pb.environment().put("PULL_NUM", "42");
                pb.environment().put("HEAD_COMMIT", "6dcb09b5b57875f334f61aebed695e2e4193db5e");
                pb.environment().put("BASE_REPO_OWNER", "acme");
                pb.environment().put("BASE_REPO_NAME", "infra");
                pb.environment().put("HEAD_BRANCH_NAME", "f");
                pb.environment().put("BASE_BRANCH_NAME", "main");
                pb.environment().put("PULL_AUTHOR", "dev1");
                pb.environment().put("REPO_REL_DIR", "environments/prod");
                pb.environment().put("WORKSPACE", "prod");
                long t0 = System.nanoTime();
                Process p = pb.start();
                p.getInputStream().readAllBytes();
                if (p.waitFor() != 0) {
                    throw new AssertionError("hook exit " + p.exitValue());
                }
                hook[i] = System.nanoTime() - t0;
            }
            print("tidegate-hook process (sh+awk+curl) -> gate route", hook);
        } finally {
            server.stop();
        }
    }

    private static void print(String what, long[] nanos) {
        long[] s = nanos.clone();
        Arrays.sort(s);
        System.out.printf("%s: n=%d p50 %.2f ms, p99 %.2f ms, max %.2f ms%n", what, s.length,
                s[s.length / 2] / 1e6, s[(int) (s.length * 0.99)] / 1e6, s[s.length - 1] / 1e6);
    }
}
