package io.tidegate.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.tidegate.wiring.Json;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import io.tidegate.health.Readiness;

class WebServerTest {
    private final HttpClient http = HttpClient.newHttpClient();
    private final AtomicBoolean storeReady = new AtomicBoolean(true);
    private final CountDownLatch slowStarted = new CountDownLatch(1);
    private WebServer server;
    private int port;

    private void start() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new JvmMemoryMetrics().bindTo(registry);
        List<Readiness> checks = List.of(
                () -> Readiness.Check.ready("policy", "loaded"),
                () -> storeReady.get() ? Readiness.Check.ready("store", "open")
                        : Readiness.Check.failing("store", "database is closed"));
        RouteGroup testRoutes = routes -> {
            routes.get("/boom", ctx -> {
                throw new IllegalStateException("secret internals");
            });
            routes.get("/bad", ctx -> {
                throw ApiException.badRequest("limit must be a number, got 'x'");
            });
            routes.post("/wrapped-read", ctx -> {
                try {
                    ctx.bodyInputStream().readAllBytes();
                } catch (java.io.IOException e) {
                    // as a library between a route and Jetty may hand it on
                    throw new IllegalStateException("could not read", e);
                }
            });
            routes.get("/slow", ctx -> {
                slowStarted.countDown();
                Thread.sleep(700);
                ctx.result("finished");
            });
        };
        server = new WebServer(new WebServer.Settings("127.0.0.1", 0, Duration.ofSeconds(5)),
                checks, registry, List.of(testRoutes), Json.mapper());
        port = server.start();
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop();
        }
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void healthzAnswersOkWhileTheProcessLives() throws Exception {
        start();
        HttpResponse<String> r = get("/healthz");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("{\"status\":\"ok\"}");
    }

    @Test
    void readyzIsReadyWhenEveryCheckPasses() throws Exception {
        start();
        HttpResponse<String> r = get("/readyz");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("{\"status\":\"ready\",\"checks\":{"
                + "\"policy\":{\"ready\":true,\"detail\":\"loaded\"},"
                + "\"store\":{\"ready\":true,\"detail\":\"open\"}}}");
    }

    @Test
    void readyzNamesTheFailingCheckWith503() throws Exception {
        start();
        storeReady.set(false);
        HttpResponse<String> r = get("/readyz");

        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(r.body()).contains("\"status\":\"not ready\"")
                .contains("\"store\":{\"ready\":false,\"detail\":\"database is closed\"}");
    }

    @Test
    void metricsArePrometheusTextWithJvmAndHttpSeries() throws Exception {
        start();
        get("/healthz");
        // the JVM series are bound on their own thread after the start (issue 19)
        io.tidegate.Poll.until("JVM series on /metrics",
                () -> get("/metrics").body().contains("jvm_memory_used_bytes"));
        HttpResponse<String> r = get("/metrics");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).get().asString()
                .startsWith("text/plain");
        assertThat(r.body()).contains("jvm_memory_used_bytes")
                .contains("http_server_requests_seconds_count{method=\"GET\",route=\"/healthz\","
                        + "status=\"200\"} 1")
                .contains("jetty_threads_current");
    }

    @Test
    void unknownPathIsJson404() throws Exception {
        start();
        HttpResponse<String> r = get("/no/such/thing");

        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.headers().firstValue("Content-Type")).get().asString()
                .startsWith("application/json");
        assertThat(r.body()).isEqualTo(
                "{\"error\":\"no such resource: GET /no/such/thing\",\"status\":404}");
    }

    /** A known path asked with another method: the method is wrong, not the path. */
    @Test
    void aKnownPathWithAnotherMethodIsJson405() throws Exception {
        start();
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(
                "http://127.0.0.1:" + port + "/healthz"))
                .method("DELETE", HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(r.statusCode()).isEqualTo(405);
        assertThat(r.body()).isEqualTo(
                "{\"error\":\"method not allowed: DELETE /healthz\",\"status\":405}");
    }

    @Test
    void badInputBecomesItsStatusWithTheMessage() throws Exception {
        start();
        HttpResponse<String> r = get("/bad");

        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).isEqualTo(
                "{\"error\":\"limit must be a number, got 'x'\",\"status\":400}");
    }

    @Test
    void unexpectedErrorsAre500WithoutInternals() throws Exception {
        start();
        HttpResponse<String> r = get("/boom");

        assertThat(r.statusCode()).isEqualTo(500);
        assertThat(r.body()).isEqualTo(
                "{\"error\":\"internal error; the request was not applied\",\"status\":500}");
    }

    @Test
    void aBodyEndingEarlyIs400EvenWhenTheRouteWrappedJettysException() throws Exception {
        start();
        try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(("POST /wrapped-read HTTP/1.1\r\nHost: x\r\n"
                    + "Content-Length: 500\r\n\r\nabc").getBytes(
                            java.nio.charset.StandardCharsets.US_ASCII));
            s.shutdownOutput();
            String answer = new String(s.getInputStream().readAllBytes(),
                    java.nio.charset.StandardCharsets.UTF_8);

            assertThat(answer).startsWith("HTTP/1.1 400 ").contains("Connection: close")
                    .endsWith("\r\n\r\n{\"error\":\"the request body ended before its"
                            + " Content-Length\",\"status\":400}");
        }
    }

    @Test
    void stopLetsInFlightRequestsFinish() throws Exception {
        start();
        CompletableFuture<HttpResponse<String>> slow = http.sendAsync(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/slow")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(slowStarted.await(5, TimeUnit.SECONDS)).isTrue();

        server.stop();
        server = null;

        HttpResponse<String> r = slow.get(5, TimeUnit.SECONDS);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("finished");
    }
}
