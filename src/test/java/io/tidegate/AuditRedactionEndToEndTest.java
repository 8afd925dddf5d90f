package io.tidegate;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tidegate.logging.SecretRedactor;
import io.tidegate.store.AuditEntry;
import io.tidegate.store.AuditQuery;
import io.tidegate.store.SqliteStore;
import io.tidegate.store.Store;
import io.tidegate.wiring.Config;
import io.tidegate.wiring.Server;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server's own credentials written into a freeze (its reason and its {@code by}) by a holder
 * of the API token never reach a reader of the audit: not the decisions API in either form, not
 * its export as pages or NDJSON, not the dashboard's decisions page or its JSON, which the
 * dashboard token alone opens. Real server, port 0, real SQLite store.
 */
class AuditRedactionEndToEndTest {
    static final String API_TOKEN = "api-token-123456";
    static final String APPLY_TOKEN = "apply-token-abcdef";
    static final String DASHBOARD_TOKEN = "dash-token-xyz789";
    static final String WEBHOOK_SECRET = "s3cret-webhook";
    static final String GITHUB_TOKEN = "ghp_abcdefghijklmnopqrstuvwxyz0123456789";
    static final List<String> SECRETS = List.of(API_TOKEN, APPLY_TOKEN, DASHBOARD_TOKEN,
            WEBHOOK_SECRET, GITHUB_TOKEN);
    static final String ALL = "tokens " + API_TOKEN + " " + APPLY_TOKEN + " " + DASHBOARD_TOKEN
            + " " + WEBHOOK_SECRET + " https://u:" + GITHUB_TOKEN + "@x.y";
    static final String ALL_MASKED = "tokens **** **** **** **** https://****@x.y";
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    Server.Running server;
    final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        SecretRedactor.clear(); // the registry is static: only this server's values
        server = Server.start(Config.from(Map.of("TIDEGATE_PORT", "0",
                "TIDEGATE_BIND_ADDRESS", "127.0.0.1",
                "TIDEGATE_DATA_DIR", dir.toString(),
                "TIDEGATE_POLICY", "policies/policy.yaml",
                "TIDEGATE_API_TOKEN", API_TOKEN,
                "TIDEGATE_APPLY_RESULT_TOKEN", APPLY_TOKEN,
                "TIDEGATE_DASHBOARD_TOKEN", DASHBOARD_TOKEN,
                "GITHUB_WEBHOOK_SECRET", WEBHOOK_SECRET)));
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        SecretRedactor.clear(); // Server.start registered this test's values
    }

    HttpResponse<String> send(String method, String path, String body, String token,
            String accept) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + server.port() + path)).header("Authorization", "Bearer " + token)
                .header("Accept", accept).method(method, body == null
                        ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(method + " " + path + ": " + r.body()).isBetween(200, 201);
        return r;
    }

    String read(String path, String token, String accept) throws Exception {
        return send("GET", path, null, token, accept).body();
    }

    /** A freeze and its lifting, both by someone whose name holds every secret too. */
    void freezeAndUnfreezeWithSecrets() throws Exception {
        send("POST", "/api/v1/environments/staging/freeze", JSON.writeValueAsString(Map.of(
                "by", "ops1 " + ALL, "reason", ALL)), API_TOKEN, "application/json");
        send("DELETE", "/api/v1/environments/staging/freeze?by="
                + URLEncoder.encode("ops1 " + ALL, StandardCharsets.UTF_8), null, API_TOKEN,
                "application/json");
    }

    static void assertNoSecretButMasks(String what, String body) {
        for (String secret : SECRETS) {
            assertThat(body).as(what).doesNotContain(secret);
        }
        assertThat(body).as(what).contains(ALL_MASKED);
    }

    @Test
    void everyReadOfTheAuditMasksTheServersSecretsInAFreezesReasonAndBy() throws Exception {
        freezeAndUnfreezeWithSecrets();

        Map<String, String> bodies = Map.of(
                "API, a repository's newest", read("/api/v1/decisions?repo=(api)", API_TOKEN,
                        "application/json"),
                "API export, a page", read("/api/v1/decisions", API_TOKEN, "application/json"),
                "API export, NDJSON", read("/api/v1/decisions?verdict=allow", API_TOKEN,
                        "application/x-ndjson"),
                "dashboard JSON", read("/api/v1/dashboard/decisions", DASHBOARD_TOKEN,
                        "application/json"),
                "dashboard HTML", read("/decisions", DASHBOARD_TOKEN, "text/html"));

        bodies.forEach(AuditRedactionEndToEndTest::assertNoSecretButMasks);
        JsonNode freeze = JSON.readTree(bodies.get("API export, NDJSON").lines()
                .filter(l -> l.contains("\"kind\":\"freeze\"")).findFirst().orElseThrow());
        assertThat(freeze.get("actor").asText()).isEqualTo("ops1 " + ALL_MASKED);
        assertThat(freeze.at("/facts/reason").asText()).isEqualTo(ALL_MASKED);
        assertThat(freeze.get("reasonCodes").get(0).asText()).isEqualTo("freeze-active");
    }

    @Test
    void theStoredFreezeKeepsWhatWasWrittenForReplay() throws Exception {
        freezeAndUnfreezeWithSecrets();
        try (Store store = SqliteStore.openIn(dir)) {
            AuditEntry freeze = store.auditLog().newest(AuditQuery.all().repo("(api)"), 2)
                    .entries().get(1);
            assertThat(freeze.record().command()).isEqualTo("freeze");
            assertThat(freeze.record().actor()).isEqualTo("ops1 " + ALL);
            // the API shows the same row, under the same id, masked
            JsonNode shown = JSON.readTree(read("/api/v1/decisions?repo=(api)", API_TOKEN,
                    "application/json")).get("decisions").get(1);
            assertThat(shown.get("id").asText()).isEqualTo(freeze.id());
            assertThat(shown.get("actor").asText()).isEqualTo("ops1 " + ALL_MASKED);
        }
    }
}
