package io.tidegate.web;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tidegate.wiring.Json;
import io.tidegate.http.WebServer;

/** The real HTTP server with the dashboard routes over a fixture's store, on a free port. */
final class DashboardServer implements AutoCloseable {
    static final String API_TOKEN = "api-token-0123456789";
    static final String DASHBOARD_TOKEN = "dash-token-9876543210";

    final WebServer server;
    final int port;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
            .followRedirects(HttpClient.Redirect.NEVER).build();

    DashboardServer(DashboardFixture fixture, boolean publicRead) {
        Predicate<String> api = API_TOKEN::equals;
        Predicate<String> dash = DASHBOARD_TOKEN::equals;
        DashboardAccess access = new DashboardAccess(List.of(api, dash), publicRead,
                List.of(API_TOKEN, DASHBOARD_TOKEN));
        server = new WebServer(new WebServer.Settings("127.0.0.1", 0, Duration.ofSeconds(5)),
                List.of(), new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
                List.of(new DashboardRoutes(fixture.dashboard, access, Json.mapper())),
                Json.mapper());
        port = server.start();
    }

    String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    HttpResponse<String> get(String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url(path)))
                .timeout(Duration.ofSeconds(30)).GET();
        if (headers.length > 0) {
            b.headers(headers);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(String path, String form, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url(path)))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (RuntimeException e) {
            // a loaded machine can outlast the graceful stop; the port is released anyway
            System.err.println("dashboard test server stop: " + e);
        }
    }
}
