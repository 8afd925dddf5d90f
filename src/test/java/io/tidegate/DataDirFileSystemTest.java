package io.tidegate;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tidegate.github.WebhookSignature;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The data directory on a real file system that refuses: mounted read-only over a store (and its
 * copy of SQLite's library in {@code native/}) made by an earlier start, or too small. Each
 * server runs in a mount namespace of its own ({@code unshare --user --map-root-user --mount},
 * util-linux), so the mounts need no privilege and vanish with the process. A data directory the
 * store cannot use stops the start with one line naming {@code TIDEGATE_DATA_DIR} and what its
 * file system says (exit 2, no stack trace); one too small only for the library copy does not
 * matter, since the driver then extracts its own.
 *
 * <p>Needs {@code unshare} and user namespaces; without them the tests fail, saying so.
 */
@Tag("slow")
class DataDirFileSystemTest {
    @TempDir
    Path dir;

    @BeforeAll
    static void mountNamespacesWork() throws Exception {
        Process p = new ProcessBuilder("unshare", "--user", "--map-root-user", "--mount", "true")
                .redirectErrorStream(true).start();
        // a few bytes of output at most: wait with a deadline first, then read it
        assertThat(p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).as("unshare finished")
                .isTrue();
        String output = new String(p.getInputStream().readAllBytes());
        assertThat(p.exitValue()).as("these tests mount file systems in a user and mount namespace"
                + " of their own (util-linux unshare --user --map-root-user --mount): " + output)
                .isZero();
    }

    @Test
    void aReadOnlyDataDirectoryHoldingAStoreExits2NamingItAndItsFileSystem() throws Exception {
        Path data = dir.resolve("data");
        try (TidegateProcess first = TidegateProcess.start(dir, env(data), "serve")) {
            first.awaitPort(Poll.START_UP);
        }
        assertThat(data.resolve("native/sqlite.stamp")).as("the first start kept its copy of"
                + " SQLite's library").isRegularFile();

        try (TidegateProcess p = inNamespace(data, "mount --bind \"$DATA\" \"$DATA\""
                + " && mount -o remount,bind,ro \"$DATA\"")) {
            assertExits2NamingTheDirectory(p, data);
            assertThat(p.output()).contains("(" + data + " cannot be written: a read-only file"
                    + " system, or no write permission)");
        }
    }

    @Test
    void aFullDataDirectoryExits2NamingItAndTheFreeSpace() throws Exception {
        Path data = Files.createDirectories(dir.resolve("data"));
        // room for the database's first page and little else: the schema cannot be written
        try (TidegateProcess p = inNamespace(data,
                "mount -t tmpfs -o size=100k tmpfs \"$DATA\"")) {
            assertExits2NamingTheDirectory(p, data);
            assertThat(p.output()).containsPattern("\\(its file system has \\d+ KiB free\\)")
                    .doesNotContain("no transaction is active");
        }
    }

    @Test
    void aDiskFillingUpWhileServingRefusesDeliveriesWith503AndReadinessNamesTheFullStore()
            throws Exception {
        Path data = Files.createDirectories(dir.resolve("data"));
        try (TidegateProcess p = inNamespace(data, "mount -t tmpfs -o size=1m tmpfs \"$DATA\"")) {
            int port = p.awaitPort(Poll.START_UP);
            HttpClient http = HttpClient.newHttpClient();
            // a pull request of its own per delivery, so none supersedes another in the inbox
            ObjectMapper json = new ObjectMapper();
            ObjectNode event = (ObjectNode) json.readTree(
                    Fixtures.bytes("github/pull_request.synchronize.json"));
            WebhookSignature signature = new WebhookSignature("data-dir-test");
            HttpResponse<String> refused = null;
            for (int n = 1; n <= 200 && refused == null; n++) {
                event.put("number", 1000 + n);
                ((ObjectNode) event.get("pull_request")).put("number", 1000 + n);
                byte[] body = json.writeValueAsBytes(event);
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(
                        "http://127.0.0.1:" + port + "/webhooks/github"))
                        .header("Content-Type", "application/json")
                        .header("X-GitHub-Event", "pull_request")
                        .header("X-GitHub-Delivery", "full-" + n)
                        .header(WebhookSignature.HEADER, signature.signatureOf(body))
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() != 202) {
                    refused = r;
                }
            }
            // GitHub redelivers a 503; nothing was taken that is not stored
            assertThat(refused).as("1 MiB fills within 200 deliveries of 28 KB").isNotNull();
            assertThat(refused.statusCode()).isEqualTo(503);
            assertThat(refused.body()).isEqualTo("{\"error\":\"storage unavailable; the request"
                    + " was not accepted, retry later\",\"status\":503}");
            Poll.until("readiness names the full store", () -> http.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/readyz")).build(),
                    HttpResponse.BodyHandlers.ofString()).body()
                    .contains("does not take writes: SQLite: "));
            String store = http.send(HttpRequest.newBuilder(URI.create(
                    "http://127.0.0.1:" + port + "/readyz")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            assertThat(store).contains("SQLITE_FULL").doesNotContain("no transaction is active");
            assertThat(p.output()).doesNotContain("no transaction is active");
            assertStops(p);
        }
    }

    @Test
    void aDataDirectoryTooSmallForTheLibraryCopyStillStarts() throws Exception {
        Path data = Files.createDirectories(dir.resolve("data"));
        // 1 MiB holds the database but not the 1.1 MB library (sqlite-jdbc 3.54, linux-x64)
        try (TidegateProcess p = inNamespace(data, "mount -t tmpfs -o size=1m tmpfs \"$DATA\"")) {
            assertTheStoreIsReady(p);
            assertThat(p.output()).doesNotContain("\tat ", "Exception");
            assertStops(p);
        }
    }

    @Test
    void aNoexecDataDirectoryStartsWithOneWarningAboutTheLibraryAndNoStackTrace() throws Exception {
        Path data = Files.createDirectories(dir.resolve("data"));
        // hardened volumes are often noexec: the copy is written but cannot be mapped
        try (TidegateProcess p = inNamespace(data, "mount -t tmpfs -o noexec tmpfs \"$DATA\"")) {
            assertTheStoreIsReady(p);
            assertThat(p.output().lines().filter(l -> l.contains("SQLite's library")))
                    .singleElement().asString().contains(" WARN ", "cannot be loaded from "
                            + data.resolve("native"), "(a noexec mount?)");
            // the driver's own error and stack trace, which the warning replaces
            assertThat(p.output()).doesNotContain("\tat ", "SQLiteJDBCLoader", "Exception");
            assertStops(p);
        }
    }

    /** Once listening, {@code /readyz} reports the store ready (dry-run keeps the rest not). */
    private static void assertTheStoreIsReady(TidegateProcess p) throws Exception {
        int port = p.awaitPort(Poll.START_UP);
        HttpResponse<String> ready = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/readyz")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(ready.body()).contains("\"store\":{\"ready\":true");
    }

    private static void assertStops(TidegateProcess p) throws InterruptedException {
        p.terminate();
        assertThat(p.awaitExit(Duration.ofSeconds(60))).isIn(0, 143);
    }

    private static Map<String, String> env(Path data) {
        return Map.of("TIDEGATE_PORT", "0", "TIDEGATE_BIND_ADDRESS", "127.0.0.1",
                "GITHUB_WEBHOOK_SECRET", "data-dir-test", "TIDEGATE_DATA_DIR", data.toString());
    }

    /** {@code tidegate serve} after {@code mounts}, in a mount namespace of its own. */
    private TidegateProcess inNamespace(Path data, String mounts) throws Exception {
        Map<String, String> env = new HashMap<>(env(data));
        env.put("DATA", data.toString());
        env.put("JAVA_BIN", Path.of(System.getProperty("java.home"), "bin", "java").toString());
        env.put("TEST_CP", System.getProperty("java.class.path"));
        // unshare execs its command (no fork), so the exit code and signals are the JVM's
        return TidegateProcess.shell(dir, env, "exec unshare --user --map-root-user --mount"
                + " sh -c '" + mounts + " && exec \"$JAVA_BIN\" -cp \"$TEST_CP\""
                + " io.tidegate.Main serve'");
    }

    private static void assertExits2NamingTheDirectory(TidegateProcess p, Path data)
            throws Exception {
        assertThat(p.awaitExit(Poll.START_UP)).as(p.output()).isEqualTo(2);
        assertThat(p.output().lines().filter(l -> l.contains("TIDEGATE_DATA_DIR")))
                .singleElement().asString()
                .startsWith("tidegate: TIDEGATE_DATA_DIR=" + data + " cannot hold the store: ");
        assertThat(p.output()).doesNotContain("\tat ", "Exception in thread");
    }
}
