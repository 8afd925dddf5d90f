package io.tidegate.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tidegate.wiring.Json;
import io.tidegate.store.StoreException;
import org.junit.jupiter.api.Test;

/**
 * The contract every write route relies on: a request whose store write failed (throttled,
 * unreachable) is answered 503 with Retry-After, never 2xx, so a webhook GitHub delivered is
 * marked failed and can be redelivered, and an Atlantis call is retried or denied.
 */
class StoreUnavailableTest {
    @Test
    void storeFailureIsAnswered503WithRetryAfterAndNoInternals() throws Exception {
        RouteGroup failing = routes -> routes.post("/webhooks/test", ctx -> {
            throw new StoreException("DynamoDB: add inbox event failed: Rate of requests "
                    + "exceeds the allowed throughput (table t-inbox)");
        });
        WebServer server = new WebServer(new WebServer.Settings("127.0.0.1", 0,
                Duration.ofSeconds(5)), List.of(), new PrometheusMeterRegistry(
                        PrometheusConfig.DEFAULT), List.of(failing), Json.mapper());
        int port = server.start();
        try {
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/webhooks/test"))
                    .POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(503);
            assertThat(r.headers().firstValue("Retry-After")).contains("5");
            assertThat(r.body()).isEqualTo("{\"error\":\"storage unavailable; the request was "
                    + "not accepted, retry later\",\"status\":503}");
        } finally {
            server.stop();
        }
    }
}
