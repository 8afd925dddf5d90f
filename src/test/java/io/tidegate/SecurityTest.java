package io.tidegate;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.tidegate.http.HttpLimits;
import io.tidegate.http.RouteGroup;
import io.tidegate.http.WebServer;
import io.tidegate.store.SqliteStore;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import io.tidegate.wiring.Config;
import io.tidegate.wiring.Json;
import io.tidegate.wiring.Server;

/**
 * The findings of the hardening review (issue 14), each reproduced against the real server on
 * loopback and shown fixed: slow and oversized unauthenticated bodies, readiness while the store
 * refuses writes, bad data directories, and Jetty's own error answers. The forged sticky comment
 * and hostile text are {@code GitHubPullRequestWriterTest} and {@code UntrustedTest} (also tagged
 * {@code security}).
 */
@Tag("security")
@Timeout(120)
@Tag("slow")
class SecurityTest {
    private static final String TOKEN = "api-token-for-security-tests";
    private final HttpClient http = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final List<Socket> sockets = new ArrayList<>();
    private Server.Running server;

    @AfterEach
    void stop() throws IOException {
        for (Socket s : sockets) {
            s.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private Server.Running start(Path dir, HttpLimits limits, java.time.Clock clock)
            throws Exception {
        Map<String, String> env = new HashMap<>();
        env.put("TIDEGATE_PORT", "0");
        env.put("TIDEGATE_BIND_ADDRESS", "127.0.0.1");
        env.put("TIDEGATE_DATA_DIR", dir.resolve("data").toString());
        env.put("TIDEGATE_POLICY", Path.of("policies/policy.yaml").toAbsolutePath().toString());
        env.put("GITHUB_WEBHOOK_SECRET", "webhook-secret-for-security-tests");
        env.put("TIDEGATE_API_TOKEN", TOKEN);
        server = Server.start(Config.from(env), clock, limits);
        return server;
    }

    /** A socket that sent the headers of a webhook announcing {@code length} body bytes. */
    private Socket slowWebhook(int port, long length) throws IOException {
        Socket s = new Socket();
        sockets.add(s);
        s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        s.setSoTimeout(30_000);
        s.getOutputStream().write(("POST /webhooks/github HTTP/1.1\r\nHost: localhost\r\n"
                + "Content-Type: application/json\r\nX-GitHub-Event: ping\r\n"
                + "X-GitHub-Delivery: d\r\nX-Hub-Signature-256: sha256=00\r\n"
                + "Content-Length: " + length + "\r\n\r\n{").getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().flush();
        return s;
    }

    private HttpResponse<String> get(int port, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> gate(int port) throws Exception {
        String body = "{\"command\":\"apply\",\"base_repo_owner\":\"acme\",\"base_repo_name\":"
                + "\"infra\",\"head_repo_owner\":\"acme\",\"head_repo_name\":\"infra\","
                + "\"head_branch_name\":\"feature/infra-vpc\",\"base_branch_name\":\"main\","
                + "\"pull_num\":\"42\",\"pull_author\":\"dev1\",\"pull_url\":"
                + "\"https://github.com/acme/infra/pull/42\",\"head_commit\":"
                + "\"6dcb09b5b57875f334f61aebed695e2e4193db5e\",\"project_name\":\"prod\","
                + "\"dir\":\"/x\",\"repo_rel_dir\":\"environments/prod\",\"workspace\":"
                + "\"default\",\"user_name\":\"lead1\",\"comment_args\":\"\"}";
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                        + "/api/v1/atlantis/gate")).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + TOKEN)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** The status line a raw socket got back, or "" when the server closed without one. */
    private static String statusLine(Socket s) throws IOException {
        InputStream in = s.getInputStream();
        StringBuilder line = new StringBuilder();
        for (int b; (b = in.read()) >= 0 && b != '\n'; ) {
            line.append((char) b);
        }
        return line.toString().strip();
    }

    @Test
    void slowBodyFloodLeavesHealthAndTheGateAnsweringWithinTwoSeconds(@TempDir Path dir)
            throws Exception {
        // 40 threads, 8 for webhook bodies: 60 slow senders would hold every thread without
        // the limit (the finding: 260 sockets took Jetty's 250 threads)
        int port = start(dir, new HttpLimits(40, 8, Duration.ofSeconds(10), 1024),
                java.time.Clock.systemUTC()).port();
        List<Socket> flood = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            flood.add(slowWebhook(port, 2000));
        }
        Thread trickle = new Thread(() -> {
            // one byte a second per socket, as the attacker did
            try {
                for (int second = 0; second < 30; second++) {
                    for (Socket s : flood) {
                        try {
                            OutputStream out = s.getOutputStream();
                            out.write('x');
                            out.flush();
                        } catch (IOException closedByTheServer) {
                            // the server cut it off: what the limits are for
                        }
                    }
                    Thread.sleep(1000);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        trickle.setDaemon(true);
        trickle.start();
        try {
            Thread.sleep(1500); // let the flood take what it can
            for (int round = 0; round < 3; round++) {
                long t0 = System.nanoTime();
                assertThat(get(port, "/healthz").statusCode()).isEqualTo(200);
                long health = (System.nanoTime() - t0) / 1_000_000;
                long t1 = System.nanoTime();
                HttpResponse<String> gate = gate(port);
                long decided = (System.nanoTime() - t1) / 1_000_000;
                System.out.printf("during the flood: /healthz %d ms, gate %d ms%n", health,
                        decided);
                // without GitHub credentials the gate denies, saying why: it answered
                assertThat(gate.statusCode()).isEqualTo(403);
                assertThat(gate.body()).contains("facts");
                assertThat(health).as("/healthz ms").isLessThan(2000);
                assertThat(decided).as("gate ms").isLessThan(2000);
                Thread.sleep(1000);
            }
            // every slow sender was refused (503) or cut off (408) within seconds, none hangs
            for (Socket s : flood) {
                s.setSoTimeout(20_000);
                assertThat(statusLine(s)).matches("(HTTP/1.1 (503|408|400) .*)?");
            }
        } finally {
            trickle.interrupt();
        }
    }

    /** A socket that sent {@code head} (request line and headers) and one body byte: stalled. */
    private Socket stalled(int port, String head) throws IOException {
        Socket s = new Socket();
        sockets.add(s);
        s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        s.setSoTimeout(30_000);
        s.getOutputStream().write((head + "\r\n\r\n{").getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().flush();
        return s;
    }

    /**
     * The finding: 500 sign-in forms (anyone may post one) or 500 gate bodies (a token holder,
     * or PR code that read the token) that never arrive held every request thread for the
     * idle timeout, and /healthz and /readyz took 8-10 s. Now bodies received at once are
     * bounded on every route, and anonymous ones within smaller budgets of their own.
     */
    @Test
    void bodiesThatNeverArriveLeaveThreadsToTheProbesAndAnonymousOnesToTheGate(
            @TempDir Path dir) throws Exception {
        int port = start(dir, new HttpLimits(40, 8, Duration.ofSeconds(10), 1024),
                java.time.Clock.systemUTC()).port();
        List<Socket> anonymous = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            anonymous.add(stalled(port, "POST /login HTTP/1.1\r\nHost: localhost\r\n"
                    + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 100"));
            anonymous.add(slowWebhook(port, 2000));
        }
        Thread.sleep(1500); // every one is inside the handler, reading, or refused
        long t0 = System.nanoTime();
        assertThat(get(port, "/healthz").statusCode()).isEqualTo(200);
        HttpResponse<String> gate = gate(port);
        long both = (System.nanoTime() - t0) / 1_000_000;
        // without GitHub credentials the gate denies, saying why: it was decided
        assertThat(gate.statusCode()).as(gate.body()).isEqualTo(403);
        assertThat(gate.body()).contains("facts");
        assertThat(both).as("/healthz and the gate, ms").isLessThan(2000);
        // beyond their budgets (8 sign-ins, 8 webhooks) the senders were refused at once
        Socket last = anonymous.get(anonymous.size() - 2);
        last.setSoTimeout(5000);
        assertThat(statusLine(last)).isEqualTo("HTTP/1.1 503 Service Unavailable");

        List<Socket> withToken = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            withToken.add(stalled(port, "POST /api/v1/atlantis/gate HTTP/1.1\r\nHost: localhost"
                    + "\r\nAuthorization: Bearer " + TOKEN + "\r\nContent-Type: application/json"
                    + "\r\nContent-Length: 600"));
        }
        Thread.sleep(1500);
        long t1 = System.nanoTime();
        assertThat(get(port, "/healthz").statusCode()).isEqualTo(200);
        assertThat(get(port, "/readyz").body()).contains("\"store\":{\"ready\":true");
        long probes = (System.nanoTime() - t1) / 1_000_000;
        assertThat(probes).as("/healthz and /readyz during 60 stalled gate bodies, ms")
                .isLessThan(2000);
        Socket refused = withToken.get(withToken.size() - 1);
        refused.setSoTimeout(5000);
        assertThat(statusLine(refused)).isEqualTo("HTTP/1.1 503 Service Unavailable");
    }

    @Test
    void aCompleteBodyReadAfterItArrivedIsNotCutOffAsSlow(@TempDir Path dir) throws Exception {
        // The minimum rate is for senders the server waits for. Jetty's own check counted from
        // the body's first byte, so a complete body read late (a busy or stalled JVM) was "slow":
        // at 1 KiB/s a 600-byte gate request read 0.6 s after it arrived was 408, a denial.
        // At 10 MB/s its allowance is 60 microseconds, so every request here would be 408.
        int port = start(dir, new HttpLimits(40, 8, Duration.ofSeconds(10), 10_000_000),
                java.time.Clock.systemUTC()).port();
        for (int i = 0; i < 5; i++) {
            HttpResponse<String> gate = gate(port);
            assertThat(gate.statusCode()).as(gate.body()).isEqualTo(403);
        }
    }

    @Test
    void declaredButUnsentBodiesOf25MbDoNotGrowTheHeap(@TempDir Path dir) throws Exception {
        int port = start(dir, new HttpLimits(120, 64, Duration.ofSeconds(20), 1),
                java.time.Clock.systemUTC()).port();
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        System.gc();
        long before = memory.getHeapMemoryUsage().getUsed();
        // 40 bodies of 25 MB announced, one byte sent: 1 GB if sized from Content-Length
        List<Socket> held = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            held.add(slowWebhook(port, 25L * 1024 * 1024));
        }
        Thread.sleep(1500); // every one is inside the handler, reading
        System.gc();
        long during = memory.getHeapMemoryUsage().getUsed();
        assertThat(get(port, "/healthz").statusCode()).isEqualTo(200);
        assertThat(during - before).as("heap growth in bytes while 40 bodies are held")
                .isLessThan(64L * 1024 * 1024);
        for (Socket s : held) {
            s.close();
        }
    }

    @Test
    void readyzFailsNamingTheStoreWhileItRefusesWritesAndRecovers(@TempDir Path dir)
            throws Exception {
        TestClock clock = new TestClock(Instant.parse("2026-12-07T10:00:00Z"));
        int port = start(dir, HttpLimits.DEFAULTS, clock).port();
        // without GitHub credentials /readyz fails on its github check: the store's is read
        assertThat(get(port, "/readyz").body()).contains("\"store\":{\"ready\":true");
        Path db = dir.resolve("data").resolve(SqliteStore.FILE_NAME);
        // another writer holds SQLite's write lock: reads still work, every write is refused
        // (after the store's busy timeout), as on a full disk
        try (Connection other = DriverManager.getConnection("jdbc:sqlite:" + db);
                Statement st = other.createStatement()) {
            st.execute("BEGIN IMMEDIATE");
            clock.advance(Duration.ofSeconds(11));
            HttpResponse<String> ready = get(port, "/readyz");
            assertThat(ready.statusCode()).isEqualTo(503);
            assertThat(ready.body()).contains("\"store\":{\"ready\":false,\"detail\":\"sqlite "
                    + db.toAbsolutePath()).contains("does not take writes");
            st.execute("ROLLBACK");
        }
        clock.advance(Duration.ofSeconds(11));
        assertThat(get(port, "/readyz").body()).contains("\"store\":{\"ready\":true");
    }

    @Test
    void aDataDirectoryThatIsAFileExits2WithOneLineNamingIt(@TempDir Path dir)
            throws Exception {
        Path file = Files.writeString(dir.resolve("not-a-dir"), "x");
        assertBadDataDir(dir, file);
    }

    @Test
    void aDataDirectoryHoldingACorruptDatabaseExits2WithOneLineNamingIt(@TempDir Path dir)
            throws Exception {
        Path data = Files.createDirectories(dir.resolve("data"));
        byte[] junk = new byte[8192];
        new java.util.Random(14).nextBytes(junk);
        Files.write(data.resolve(SqliteStore.FILE_NAME), junk);
        assertBadDataDir(dir, data);
    }

    @Test
    void largeUnsignedBodiesAllAtOnceAreRefusedWithoutRunningTheHeapOut(@TempDir Path dir)
            throws Exception {
        // 16 unsigned 24 MB bodies at once ran the launcher's 128 MB heap out of memory
        // (15 OutOfMemoryErrors) before the webhook bodies had a byte budget
        try (TidegateProcess p = smallHeapServer(dir)) {
            int port = p.awaitPort(Poll.START_UP);
            List<Integer> codes = postAllAtOnce(port, "/webhooks/github", 16, 24,
                    "Content-Type", "application/json", "X-GitHub-Event", "pull_request",
                    "X-GitHub-Delivery", "big", "X-Hub-Signature-256", "sha256=" + "0".repeat(64));
            assertThat(codes).as(codes.toString()).allMatch(c -> c == 401 || c == 503 || c == 0)
                    .contains(401, 503);
            assertThat(p.output()).doesNotContain("OutOfMemoryError");
            assertThat(get(port, "/healthz").statusCode()).isEqualTo(200);
            byte[] ping = "{\"zen\":\"Keep it logically awesome.\",\"hook_id\":1}"
                    .getBytes(StandardCharsets.UTF_8);
            HttpResponse<String> signed = http.send(HttpRequest.newBuilder(URI.create(
                    "http://127.0.0.1:" + port + "/webhooks/github"))
                    .header("Content-Type", "application/json")
                    .header("X-GitHub-Event", "ping").header("X-GitHub-Delivery", "after")
                    .header("X-Hub-Signature-256",
                            new io.tidegate.github.WebhookSignature("s3cret").signatureOf(ping))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(ping)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(signed.statusCode()).as("the budget is whole again: " + signed.body())
                    .isEqualTo(200);
        }
    }

    @Test
    void largeSignInFormsAllAtOnceAreRefusedUnreadWithoutRunningTheHeapOut(@TempDir Path dir)
            throws Exception {
        // the sign-in form is read before anyone is known: twelve 40 MB posts at once ran the
        // 128 MB heap out of memory while Javalin read each whole
        try (TidegateProcess p = smallHeapServer(dir)) {
            int port = p.awaitPort(Poll.START_UP);
            List<Integer> codes = postAllAtOnce(port, "/login", 12, 40,
                    "Content-Type", "application/x-www-form-urlencoded");
            assertThat(codes).as(codes.toString()).allMatch(c -> c == 413 || c == 0)
                    .contains(413);
            assertThat(p.output()).doesNotContain("OutOfMemoryError");
            assertThat(get(port, "/login").statusCode()).isEqualTo(200);
        }
    }

    /** {@code tidegate serve} in a JVM with the launcher's heap and collector. */
    private static TidegateProcess smallHeapServer(Path dir) throws IOException {
        Map<String, String> env = new HashMap<>(Map.of("TIDEGATE_PORT", "0",
                "TIDEGATE_BIND_ADDRESS", "127.0.0.1", "GITHUB_WEBHOOK_SECRET", "s3cret",
                "TIDEGATE_API_TOKEN", TOKEN,
                "TIDEGATE_DATA_DIR", dir.resolve("data").toString()));
        env.put("JAVA_BIN", Path.of(System.getProperty("java.home"), "bin", "java").toString());
        env.put("TEST_CP", System.getProperty("java.class.path"));
        return TidegateProcess.shell(dir, env, "exec \"$JAVA_BIN\" -XX:+UseSerialGC -Xmx128m"
                + " -cp \"$TEST_CP\" io.tidegate.Main serve");
    }

    /**
     * {@code count} POSTs of {@code megabytes} MB each, all sent at once; their statuses, 0 for a
     * request cut off without an answer (a body refused mid-way may end as a reset).
     */
    private List<Integer> postAllAtOnce(int port, String path, int count, int megabytes,
            String... headers) {
        byte[] big = new byte[megabytes * 1024 * 1024];
        java.util.Arrays.fill(big, (byte) 'a');
        List<java.util.concurrent.CompletableFuture<Integer>> answers = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            answers.add(http.sendAsync(HttpRequest.newBuilder(URI.create(
                    "http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(60))
                    .headers(headers).POST(HttpRequest.BodyPublishers.ofByteArray(big)).build(),
                    HttpResponse.BodyHandlers.discarding())
                    .handle((r, failed) -> r == null ? 0 : r.statusCode()));
        }
        return answers.stream().map(java.util.concurrent.CompletableFuture::join).toList();
    }

    @Test
    void aPortTakenByAnotherProcessExits2WithOneLineNamingTheSettings(@TempDir Path dir)
            throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 50,
                java.net.InetAddress.getByName("127.0.0.1"))) {
            assertCannotListen(dir, "127.0.0.1", taken.getLocalPort(),
                    "Address already in use (another process listens on that port)");
        }
    }

    @Test
    void aBindAddressThatIsNotThisMachinesExits2WithOneLineNamingTheSettings(@TempDir Path dir)
            throws Exception {
        // 192.0.2.0/24 is TEST-NET-1 (RFC 5737): never assigned to a real interface
        assertCannotListen(dir, "192.0.2.1", 4142, "(no network interface of this machine has"
                + " that address)");
    }

    @Test
    void aGitHubAppKeyFileThatIsMissingOrNotAKeyExits2WithOneLineNamingTheSetting(
            @TempDir Path dir) throws Exception {
        Path notAKey = Files.writeString(dir.resolve("key.pem"), "SECRET-MATERIAL-NOT-PEM");
        for (Path key : List.of(dir.resolve("missing.pem"), notAKey)) {
            try (TidegateProcess p = TidegateProcess.start(dir, Map.of("TIDEGATE_PORT", "0",
                    "TIDEGATE_BIND_ADDRESS", "127.0.0.1", "GITHUB_APP_ID", "123",
                    "GITHUB_APP_PRIVATE_KEY_FILE", key.toString(),
                    "TIDEGATE_DATA_DIR", dir.resolve("data").toString()), "serve")) {
                assertThat(p.awaitExit(Poll.START_UP)).as(p.output()).isEqualTo(2);
                assertThat(p.output().lines().filter(l -> l.startsWith("tidegate: ")))
                        .singleElement().asString()
                        .startsWith("tidegate: GITHUB_APP_PRIVATE_KEY_FILE=" + key
                                + ": the GitHub App's private key cannot be read: ");
                assertThat(p.output()).doesNotContain("\tat ", "Exception",
                        "SECRET-MATERIAL");
            }
        }
    }

    private static void assertCannotListen(Path work, String host, int port, String why)
            throws Exception {
        try (TidegateProcess p = TidegateProcess.start(work, Map.of(
                "TIDEGATE_PORT", Integer.toString(port), "TIDEGATE_BIND_ADDRESS", host,
                "TIDEGATE_DATA_DIR", work.resolve("data").toString()), "serve")) {
            assertThat(p.awaitExit(Poll.START_UP)).as(p.output()).isEqualTo(2);
            assertThat(p.output().lines().filter(l -> l.startsWith("tidegate: ")))
                    .singleElement().asString()
                    .startsWith("tidegate: TIDEGATE_BIND_ADDRESS=" + host + " TIDEGATE_PORT="
                            + port + ": cannot listen there: ")
                    .endsWith(why);
            assertThat(p.output()).doesNotContain("\tat ", "Exception");
            // the reason is said once, in that line: not also as an ERROR from Javalin before it
            assertThat(p.output()).doesNotContain("ERROR Javalin", "Failed to start Javalin");
        }
    }

    private static void assertBadDataDir(Path work, Path dataDir) throws Exception {
        try (TidegateProcess p = TidegateProcess.start(work, Map.of(
                "TIDEGATE_PORT", "0", "TIDEGATE_BIND_ADDRESS", "127.0.0.1",
                "TIDEGATE_DATA_DIR", dataDir.toString()), "serve")) {
            int code = p.awaitExit(Poll.START_UP);
            assertThat(code).isEqualTo(2);
            assertThat(p.output().lines().filter(l -> l.contains("TIDEGATE_DATA_DIR")))
                    .singleElement().asString()
                    .startsWith("tidegate: TIDEGATE_DATA_DIR=" + dataDir + " cannot hold the"
                            + " store: ");
            assertThat(p.output()).doesNotContain("\tat ", "Exception in thread");
        }
    }

    /** Sends raw bytes and returns the whole answer (the server closes after an error). */
    private static String raw(int port, String request) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            s.getOutputStream().flush();
            s.shutdownOutput();
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    private static void assertJsonError(String answer, int status) {
        assertThat(answer).startsWith("HTTP/1.1 " + status + " ");
        assertThat(answer).containsIgnoringCase("Content-Type: application/json");
        assertThat(answer).contains("\"status\":" + status + "}").contains("{\"error\":\"")
                .doesNotContain("<html", "<HTML");
    }

    @Test
    void jettysOwnErrorsAnswerJson(@TempDir Path dir) throws Exception {
        int port = start(dir, HttpLimits.DEFAULTS, java.time.Clock.systemUTC()).port();
        assertJsonError(raw(port, "GARBAGE\r\n\r\n"), 400);
        assertJsonError(raw(port, "GET /" + "a".repeat(20_000) + " HTTP/1.1\r\nHost: x\r\n\r\n"),
                414);
        assertJsonError(raw(port, "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: "
                + "b".repeat(20_000) + "\r\n\r\n"), 431);
        assertJsonError(raw(port, "GET /healthz HTTP/7.0\r\nHost: x\r\n\r\n"), 505);
    }

    @Test
    void malformedMultipartPlanUploadIs400(@TempDir Path dir) throws Exception {
        int port = start(dir, HttpLimits.DEFAULTS, java.time.Clock.systemUTC()).port();
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(
                        "http://127.0.0.1:" + port + "/api/v1/atlantis/plan"))
                .header("Authorization", "Bearer " + TOKEN)
                .header("Content-Type", "multipart/form-data; boundary=XYZ")
                .POST(HttpRequest.BodyPublishers.ofString("--XYZ\r\nContent-Disposition: "
                        + "form-data; name=\"meta\"\r\n\r\n{\"a\":1}\r\n--XY"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).isEqualTo("{\"error\":\"the multipart/form-data body is malformed"
                + " or ended early (a part without its headers or the closing boundary)\","
                + "\"status\":400}");
    }

    /** Which of two meta (or plan) parts counts is not for the sender to guess: neither. */
    @Test
    void aPlanUploadWithAPartSentTwiceIs400NamingIt(@TempDir Path dir) throws Exception {
        int port = start(dir, HttpLimits.DEFAULTS, java.time.Clock.systemUTC()).port();
        String part = "--XYZ\r\nContent-Disposition: form-data; name=\"meta\"\r\n"
                + "Content-Type: application/json\r\n\r\n{}\r\n";
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(
                        "http://127.0.0.1:" + port + "/api/v1/atlantis/plan"))
                .header("Authorization", "Bearer " + TOKEN)
                .header("Content-Type", "multipart/form-data; boundary=XYZ")
                .POST(HttpRequest.BodyPublishers.ofString(part + part + "--XYZ--\r\n"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).isEqualTo("{\"error\":\"meta: sent 2 times; send each part once\","
                + "\"status\":400}");
    }

    @Test
    void anErrorEscapingARouteAnswersJson500WithoutDetail() throws Exception {
        RouteGroup failing = routes -> routes.get("/oom", ctx -> {
            throw new OutOfMemoryError("Java heap space (simulated)");
        });
        WebServer web = new WebServer(new WebServer.Settings("127.0.0.1", 0, Duration.ZERO),
                List.of(), new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
                List.of(failing), Json.mapper());
        int port = web.start();
        try {
            String answer = raw(port, "GET /oom HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            assertJsonError(answer, 500);
            assertThat(answer).doesNotContain("heap space");
        } finally {
            web.stop();
        }
    }
}
