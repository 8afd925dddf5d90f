package io.tidegate;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.tidegate.http.HttpLimits;
import io.tidegate.wiring.Config;
import io.tidegate.wiring.Server;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The product's rule for bad input, on the whole server over loopback: every route answers a
 * client's mistake with a 4xx and a message in plain words, never a 500, never a stack trace in
 * the log, never a Java class name or a library's internals. Each test is a finding of a
 * black-box test that broke the rule.
 */
@Timeout(60)
class ClientMistakeAnswersTest {
    private static final String TOKEN = "api-token-for-client-mistake-tests";
    private final HttpClient http = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final ListAppender<ILoggingEvent> log = new ListAppender<>();
    private final Logger root = (Logger) LoggerFactory.getLogger(
            org.slf4j.Logger.ROOT_LOGGER_NAME);
    private Server.Running server;

    @BeforeEach
    void start(@TempDir Path dir) throws Exception {
        Map<String, String> env = new HashMap<>();
        env.put("TIDEGATE_PORT", "0");
        env.put("TIDEGATE_BIND_ADDRESS", "127.0.0.1");
        env.put("TIDEGATE_DATA_DIR", dir.resolve("data").toString());
        env.put("TIDEGATE_POLICY", Path.of("policies/policy.yaml").toAbsolutePath().toString());
        env.put("GITHUB_WEBHOOK_SECRET", "webhook-secret-for-client-mistake-tests");
        env.put("TIDEGATE_API_TOKEN", TOKEN);
        server = Server.start(Config.from(env), java.time.Clock.systemUTC(),
                HttpLimits.DEFAULTS);
        log.start();
        root.addAppender(log);
    }

    @AfterEach
    void stop() {
        root.detachAppender(log);
        if (server != null) {
            server.close();
        }
    }

    @Test
    void aBodyEndingBeforeItsContentLengthIs400OnEveryRouteWithoutAStackTrace()
            throws Exception {
        List<String> routes = List.of("/login", "/api/v1/atlantis/gate",
                "/api/v1/atlantis/apply-result", "/api/v1/environments/staging/freeze",
                "/webhooks/github");
        for (String route : routes) {
            String answer = truncated(route);

            assertThat(answer).as(route).startsWith("HTTP/1.1 400 ")
                    .endsWith("\r\n\r\n{\"error\":\"the request body ended before its"
                            + " Content-Length\",\"status\":400}");
        }
        assertThat(log.list).as("no stack trace, no error for a client's mistake")
                .allSatisfy(e -> {
                    assertThat(e.getThrowableProxy()).as(e.getFormattedMessage()).isNull();
                    assertThat(e.getLevel().toString()).isNotEqualTo("ERROR");
                });
        // at most a debug line: anyone can send such bodies as often as they like
        assertThat(log.list).filteredOn(e -> e.getLevel().isGreaterOrEqual(Level.INFO))
                .extracting(ILoggingEvent::getFormattedMessage)
                .noneMatch(m -> m.contains("ended the request body early"));
    }

    @Test
    void aFreezeBodyNestedTooDeeplyIs400SayingSo() throws Exception {
        String deep = "{\"a\":".repeat(2000) + "1" + "}".repeat(2000);

        HttpResponse<String> r = post("/api/v1/environments/staging/freeze", deep);

        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).isEqualTo("{\"error\":\"malformed JSON: nested deeper than 1000"
                + " levels\",\"status\":400}");
    }

    @Test
    void aCutShortFreezeBodyIs400NamingWhereItEnds() throws Exception {
        HttpResponse<String> r = post("/api/v1/environments/staging/freeze", "{\"by\":\"x\"");

        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).isEqualTo("{\"error\":\"malformed JSON at line 1, column 10\","
                + "\"status\":400}");
    }

    /** Which "by" froze the environment is not for the server to guess (the last one won). */
    @Test
    void aFreezeBodyWithAFieldGivenTwiceOrDataAfterItIs400() throws Exception {
        HttpResponse<String> twice = post("/api/v1/environments/staging/freeze",
                "{\"by\":\"ops1\",\"reason\":\"first\",\"by\":\"cto1\"}");
        HttpResponse<String> trailing = post("/api/v1/environments/staging/freeze",
                "{\"by\":\"ops1\",\"reason\":\"r\"} trailing-garbage");

        assertThat(twice.statusCode()).isEqualTo(400);
        assertThat(twice.body()).isEqualTo("{\"error\":\"malformed JSON: the field \\\"by\\\" is"
                + " given twice at line 1, column 35\",\"status\":400}");
        assertThat(trailing.statusCode()).isEqualTo(400);
        assertThat(trailing.body()).startsWith("{\"error\":\"malformed JSON at line 1, column ");
        HttpResponse<String> audit = http.send(HttpRequest.newBuilder(URI.create(
                "http://127.0.0.1:" + server.port() + "/api/v1/decisions?repo=(api)"))
                .header("Authorization", "Bearer " + TOKEN).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(audit.statusCode()).isEqualTo(200);
        assertThat(audit.body()).as("nothing was frozen").doesNotContain("cto1", "ops1");
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port()
                        + path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + TOKEN)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /**
     * The whole answer to a POST that announces 500 body bytes, sends 11 and half-closes: the
     * server sees the end of its input, not a slow sender.
     */
    private String truncated(String path) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", server.port()), 5000);
            s.setSoTimeout(20_000);
            String type = path.equals("/login") ? "application/x-www-form-urlencoded"
                    : "application/json";
            String head = "POST " + path + " HTTP/1.1\r\nHost: localhost\r\n"
                    + "Authorization: Bearer " + TOKEN + "\r\n"
                    + "X-GitHub-Event: ping\r\nX-GitHub-Delivery: d-1\r\n"
                    + "X-Hub-Signature-256: sha256=00\r\n"
                    + "Content-Type: " + type + "\r\nContent-Length: 500\r\n\r\n";
            s.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().write("{\"token\":\"x".getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            s.shutdownOutput();
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
