package io.tidegate.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tidegate.wiring.Config;
import io.tidegate.wiring.Server;
import io.tidegate.store.AuditRecord;
import io.tidegate.store.Deployment;
import io.tidegate.store.DeploymentStatus;
import io.tidegate.store.SqliteStore;
import io.tidegate.store.Store;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The history routes on a real server (Server.start, port 0) over a real SQLite store. */
class DeploymentRoutesTest {
    static final String TOKEN = "s3cret-token";
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    Server.Running server;
    Store seed;
    final HttpClient http = HttpClient.newHttpClient();

    void start(boolean publicRead) throws Exception {
        Config config = Config.from(Map.of("TIDEGATE_PORT", "0",
                "TIDEGATE_BIND_ADDRESS", "127.0.0.1",
                "TIDEGATE_DATA_DIR", dir.toString(),
                "TIDEGATE_API_TOKEN", TOKEN,
                "TIDEGATE_PUBLIC_READ", Boolean.toString(publicRead),
                "TIDEGATE_POLICY", "policies/policy.yaml"));
        server = Server.start(config);
        // a second instance over the same file stands in for whatever records deployments
        seed = SqliteStore.openIn(dir);
    }

    @AfterEach
    void stop() {
        if (seed != null) {
            seed.close();
        }
        if (server != null) {
            server.close();
        }
    }

    HttpResponse<String> get(String path, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + server.port() + path));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    JsonNode getJson(String path) throws Exception {
        HttpResponse<String> r = get(path, TOKEN);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    static Deployment deployment(String id, String env, Instant start, boolean ok) {
        return new Deployment(id, "acme/infra", 7, "abc123", "network", env, "alice", start,
                Optional.empty(), DeploymentStatus.RUNNING).finish(start.plusSeconds(120), ok);
    }

    @Test
    void readRoutesRefuseCallersWithoutTheApiToken() throws Exception {
        start(false);
        for (String path : List.of("/api/v1/deployments", "/api/v1/deployments/x",
                "/api/v1/deployments/stats", "/api/v1/decisions?repo=a/b")) {
            HttpResponse<String> none = get(path, null);
            assertThat(none.statusCode()).isEqualTo(401);
            assertThat(JSON.readTree(none.body()).get("error").asText())
                    .isEqualTo("missing bearer token (Authorization: Bearer ...)");
            assertThat(get(path, "wrong").statusCode()).isEqualTo(401);
        }
    }

    @Test
    void publicReadOpensTheReadRoutesWithoutAToken() throws Exception {
        start(true);
        assertThat(get("/api/v1/deployments", null).statusCode()).isEqualTo(200);
    }

    @Test
    void deploymentsArePagedNewestFirstAndFilteredByEnvironment() throws Exception {
        start(false);
        Instant now = Instant.now();
        seed.deployments().save(deployment("d1", "production", now.minusSeconds(300), true));
        seed.deployments().save(deployment("d2", "production", now.minusSeconds(200), false));
        seed.deployments().save(deployment("d3", "production", now.minusSeconds(100), true));
        seed.deployments().save(deployment("s1", "staging", now.minusSeconds(50), true));

        JsonNode first = getJson("/api/v1/deployments?environment=production&limit=2");
        assertThat(first.get("deployments").findValuesAsText("id")).containsExactly("d3", "d2");
        JsonNode second = getJson("/api/v1/deployments?environment=production&limit=2&cursor="
                + first.get("nextCursor").asText());
        assertThat(second.get("deployments").findValuesAsText("id")).containsExactly("d1");
        assertThat(second.get("nextCursor").isNull()).isTrue();
        JsonNode d2 = first.get("deployments").get(1);
        assertThat(d2.get("result").asText()).isEqualTo("failed");
        assertThat(d2.get("durationSeconds").asLong()).isEqualTo(120);
    }

    @Test
    void oneDeploymentIsFoundByIdAndAnUnknownIdIs404() throws Exception {
        start(false);
        seed.deployments().save(deployment("d1", "production", Instant.now(), true));
        assertThat(getJson("/api/v1/deployments/d1").get("environment").asText())
                .isEqualTo("production");
        HttpResponse<String> missing = get("/api/v1/deployments/nope", TOKEN);
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(missing.body()).get("error").asText())
                .isEqualTo("no deployment with id 'nope'");
    }

    @Test
    void badQueryParametersAre400NamingTheParameter() throws Exception {
        start(false);
        Map<String, String> cases = Map.of(
                "/api/v1/deployments?limit=abc",
                "limit: expected a whole number from 1 to 200, got 'abc'",
                "/api/v1/deployments?limit=0",
                "limit: expected a whole number from 1 to 200, got '0'",
                "/api/v1/deployments?cursor=%25%25",
                "cursor: cursor is malformed; pass the nextCursor of a previous page",
                "/api/v1/deployments/stats?days=365",
                "days: expected a whole number from 1 to 90, got '365'",
                "/api/v1/decisions?since=yesterday", "since: expected an ISO-8601 time with "
                        + "an offset, such as 2026-11-01T00:00:00Z, got 'yesterday'",
                "/api/v1/decisions?repo=a/b&pr=x",
                "pr: expected a whole number from 1 to 2147483647, got 'x'");
        for (Map.Entry<String, String> c : cases.entrySet()) {
            HttpResponse<String> r = get(c.getKey(), TOKEN);
            assertThat(r.statusCode()).as(c.getKey()).isEqualTo(400);
            assertThat(JSON.readTree(r.body()).get("error").asText()).as(c.getKey())
                    .isEqualTo(c.getValue());
        }
    }

    @Test
    void statsHaveTheShapeOfTheSeedReport() throws Exception {
        start(false);
        Instant now = Instant.now();
        seed.deployments().save(deployment("a", "production", now.minus(Duration.ofDays(2)),
                true));
        seed.deployments().save(deployment("b", "production", now.minus(Duration.ofDays(10)),
                false));
        seed.deployments().save(deployment("c", "staging", now.minus(Duration.ofDays(1)), true));
        JsonNode body = getJson("/api/v1/deployments/stats?environment=production&days=30");
        assertThat(body.get("environment").asText()).isEqualTo("production");
        JsonNode stats = body.get("stats");
        assertThat(stats.get("totalDeployments").asInt()).isEqualTo(2);
        assertThat(stats.get("successfulDeployments").asInt()).isEqualTo(1);
        assertThat(stats.get("failedDeployments").asInt()).isEqualTo(1);
        assertThat(stats.get("successRate").decimalValue()).isEqualByComparingTo("50.00");
        assertThat(stats.get("averageDuration").asLong()).isEqualTo(120);
        assertThat(body.at("/recentTrends/last7Days/totalDeployments").asInt()).isEqualTo(1);
        assertThat(body.at("/recentTrends/last30Days/totalDeployments").asInt()).isEqualTo(2);
    }

    @Test
    void decisionsAreTheAuditOfARepositoryOrOnePullRequest() throws Exception {
        start(false);
        Instant t = Instant.parse("2026-11-20T09:00:00Z");
        seed.audit().append(new AuditRecord(t, "acme/infra", 7, "abc", "network", "production",
                "apply", "alice", "deny", List.of("window.closed"), "sha256:1",
                "{\"actor\":\"alice\"}"));
        seed.audit().append(new AuditRecord(t.plusSeconds(1), "acme/infra", 8, "def", "network",
                "staging", "plan", "bob", "allow", List.of(), "sha256:1", "{}"));
        JsonNode pr7 = getJson("/api/v1/decisions?repo=acme/infra&pr=7").get("decisions");
        assertThat(pr7).hasSize(1);
        assertThat(pr7.get(0).get("decision").asText()).isEqualTo("deny");
        assertThat(pr7.get(0).get("reasonCodes").get(0).asText()).isEqualTo("window.closed");
        assertThat(pr7.get(0).at("/facts/actor").asText()).isEqualTo("alice");
        JsonNode all = getJson("/api/v1/decisions?repo=acme/infra").get("decisions");
        assertThat(List.of(all.get(0).get("actor").asText(), all.get(1).get("actor").asText()))
                .containsExactly("bob", "alice");
        assertThat(all).hasSize(2);
        // the same ids as the organisation-wide read, export and tidegate replay
        assertThat(seed.auditLog().find(all.get(1).get("id").asText()).orElseThrow().record()
                .actor()).isEqualTo("alice");
    }

    @Test
    void decisionsOrganisationWideArePagedOldestFirstAndStreamAsNdjson() throws Exception {
        start(false);
        Instant t = Instant.parse("2026-11-20T09:00:00Z");
        for (int i = 0; i < 5; i++) {
            seed.audit().append(new AuditRecord(t.plusSeconds(i), i % 2 == 0 ? "acme/a" : "acme/b",
                    i + 1, "abc", "network", i == 4 ? "staging" : "production", "apply",
                    "alice", i == 1 ? "deny" : "allow", List.of(), "sha256:1", "{}"));
        }
        String period = "since=2026-11-20T00:00:00Z&until=2026-11-21T00:00:00Z";
        JsonNode first = getJson("/api/v1/decisions?" + period + "&limit=2");
        JsonNode second = getJson("/api/v1/decisions?" + period + "&limit=2&cursor="
                + first.get("nextCursor").asText());
        assertThat(first.get("decisions")).extracting(d -> d.get("pr").asInt())
                .containsExactly(1, 2);
        assertThat(second.get("decisions")).extracting(d -> d.get("pr").asInt())
                .containsExactly(3, 4);
        assertThat(first.at("/decisions/0/kind").asText()).isEqualTo("decision");
        assertThat(getJson("/api/v1/decisions?" + period + "&environment=production"
                + "&verdict=allow").get("decisions")).extracting(d -> d.get("pr").asInt())
                .containsExactly(1, 3, 4);

        HttpResponse<String> ndjson = http.send(HttpRequest.newBuilder(URI.create(
                "http://127.0.0.1:" + server.port() + "/api/v1/decisions?" + period))
                .header("Authorization", "Bearer " + TOKEN)
                .header("Accept", "application/x-ndjson").build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(ndjson.statusCode()).isEqualTo(200);
        assertThat(ndjson.headers().firstValue("Content-Type").orElse(""))
                .startsWith("application/x-ndjson");
        assertThat(ndjson.body().lines().map(l -> {
            try {
                return JSON.readTree(l).get("pr").asInt();
            } catch (Exception e) {
                throw new AssertionError(l, e);
            }
        }).toList()).containsExactly(1, 2, 3, 4, 5);
        // the server's own first policy load is an event in the same stream
        JsonNode all = getJson("/api/v1/decisions?verdict=none");
        assertThat(all.at("/decisions/0/kind").asText()).isEqualTo("policy-reload");
        assertThat(all.at("/decisions/0/reasonCodes/0").asText()).isEqualTo("loaded");
    }

    @Test
    void readinessReportsTheStore() throws Exception {
        start(false);
        JsonNode ready = JSON.readTree(get("/readyz", null).body());
        assertThat(ready.at("/checks/store/ready").asBoolean()).isTrue();
        assertThat(ready.at("/checks/store/detail").asText()).startsWith("sqlite ");
    }
}
