package io.tidegate;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.github.tomakehurst.wiremock.WireMockServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import io.tidegate.wiring.Config;
import io.tidegate.wiring.Server;

/**
 * Issue 8, section 2: the gate's own time excludes GitHub's. The running server
 * ({@link Server#start}) decides a production apply with WireMock as GitHub; once warm, GitHub
 * answers every request 200 ms late, so the wait per decision is known in advance and
 * {@code tidegate.gate.own} must not contain it.
 */
class GateOwnTimeTest {
    private static final String TOKEN = "tg_own_time_token_0123456789abcdef";
    private static final String SHA = "6dcb09b5b57875f334f61aebed695e2e4193db5e";
    private static final int DELAY_MS = 200;

    @TempDir
    Path dir;

    private WireMockServer github;
    private Server.Running tidegate;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        github = AtlantisGitHub.start(SHA);
        Config config = Config.from(Map.of(
                "TIDEGATE_BIND_ADDRESS", "127.0.0.1",
                "TIDEGATE_PORT", "0",
                "TIDEGATE_API_TOKEN", TOKEN,
                "TIDEGATE_DATA_DIR", dir.resolve("data").toString(),
                "TIDEGATE_POLICY", "policies/policy.yaml",
                "GITHUB_TOKEN", "ghp_ownTimeToken0123456789abcdefABCD",
                "TIDEGATE_DRY_RUN", "true",
                "GITHUB_API_URL", "http://127.0.0.1:" + github.port()));
        tidegate = Server.start(config,
                Clock.fixed(Instant.parse("2026-11-23T01:00:00Z"), ZoneOffset.UTC));
    }

    @AfterEach
    void stop() {
        if (tidegate != null) {
            tidegate.close();
        }
        github.stop();
    }

    @Test
    void ownTimeLeavesOutEveryWaitForGitHub() throws Exception {
        assertThat(gate()).isEqualTo(403); // no plan report: denied, every fact still read
        Map<String, Double> before = metrics();

        github.setGlobalFixedDelay(DELAY_MS);
        assertThat(gate()).isEqualTo(403);
        Map<String, Double> after = metrics();

        double requests = delta(before, after, "tidegate_gate_github_requests_sum");
        double waited = delta(before, after, "tidegate_gate_github_seconds_sum");
        double own = delta(before, after, "tidegate_gate_own_seconds_sum");
        double total = delta(before, after, "tidegate_gate_latency_seconds_sum");
        assertThat(delta(before, after, "tidegate_gate_own_seconds_count")).isEqualTo(1.0);
        // Warm: the PR and its reviews, memberships cached; each request waited the delay.
        assertThat(requests).isEqualTo(2.0);
        assertThat(waited).isGreaterThanOrEqualTo(requests * DELAY_MS / 1000.0);
        assertThat(own).isLessThan(total - requests * (DELAY_MS - 25) / 1000.0);
        assertThat(own + waited).isCloseTo(total, org.assertj.core.data.Offset.offset(0.001));
    }

    @Test
    void metricsHoldOwnTimeBucketsFineEnoughForP50AndP99() throws Exception {
        for (int i = 0; i < 3; i++) {
            assertThat(gate()).isEqualTo(403);
        }

        String text = scrape();

        // 25 us to 1 s, 25 % apart: a quantile read from them is off by at most a quarter.
        Matcher bucket = Pattern.compile("(?m)^tidegate_gate_own_seconds_bucket\\{le=\"([0-9.E-]+)\"")
                .matcher(text);
        int buckets = 0;
        double previous = 0;
        while (bucket.find()) {
            double le = Double.parseDouble(bucket.group(1));
            assertThat(le).isGreaterThan(previous).isLessThanOrEqualTo(Math.max(previous * 1.26,
                    0.000025));
            previous = le;
            buckets++;
        }
        assertThat(buckets).isGreaterThan(40);
        assertThat(previous).isGreaterThanOrEqualTo(1.0);
        assertThat(text).contains("tidegate_gate_own_seconds_bucket{le=\"+Inf\"} 3")
                .contains("tidegate_gate_github_seconds_bucket{le=\"+Inf\"} 3")
                .contains("tidegate_gate_github_requests_count 3");
    }

    private int gate() throws Exception {
        String body = Files.readString(Path.of("bench/github/gate-request.json"));
        return http.send(HttpRequest.newBuilder(uri("/api/v1/atlantis/gate"))
                .header("Authorization", "Bearer " + TOKEN)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    private String scrape() throws Exception {
        return http.send(HttpRequest.newBuilder(uri("/metrics")).GET().build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    /** Unlabelled samples by name. */
    private Map<String, Double> metrics() throws Exception {
        Map<String, Double> out = new HashMap<>();
        Matcher m = Pattern.compile("(?m)^(tidegate_gate_[a-z_]+) ([0-9.eE+-]+)$")
                .matcher(scrape());
        while (m.find()) {
            out.put(m.group(1), Double.parseDouble(m.group(2)));
        }
        return out;
    }

    private static double delta(Map<String, Double> before, Map<String, Double> after,
            String name) {
        assertThat(after).containsKey(name);
        return after.get(name) - before.getOrDefault(name, 0.0);
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + tidegate.port() + path);
    }
}
