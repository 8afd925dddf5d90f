package io.tidegate;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.tidegate.cli.TidegateCommand;

@Tag("slow")
class MainTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return TidegateCommand.commandLine(new PrintWriter(out, true), new PrintWriter(err, true))
                .execute(args);
    }

    @Test
    void unknownOptionIsOneLineErrorUsageAndExit2() {
        int code = run("--frobnicate");

        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).startsWith("error: Unknown option: '--frobnicate'\n")
                .contains("Usage: tidegate");
    }

    @Test
    void unknownSubcommandExits2() {
        int code = run("deploy-everything");

        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).startsWith("error: Unmatched argument at index 0: "
                + "'deploy-everything'");
    }

    @Test
    void helpListsTheCommandsAndExits0() {
        int code = run("--help");

        assertThat(code).isZero();
        assertThat(out.toString()).contains("Usage: tidegate").contains("serve")
                .contains("version");
    }

    @Test
    void versionPrintsTheBuildVersion() {
        int code = run("version");

        assertThat(code).isZero();
        // the Java that runs it (17 in CI; the suite also passes on 25)
        assertThat(out.toString()).matches("tidegate \\d+\\.\\d+\\.\\d+.* \\(Java "
                + Runtime.version().feature() + "[^)]*\\)\\n");
    }

    @Test
    void serveWithBadConfigurationReportsEveryProblemAndExits2(@TempDir Path dir)
            throws Exception {
        try (TidegateProcess p = TidegateProcess.start(dir, Map.of(
                "TIDEGATE_PORT", "not-a-port", "TIDEGATE_STORE", "mysql",
                "TIDEGATE_LOG_LEVEL", "verbose",
                "GITHUB_WEBHOOK_SECRET", "hook-secret-xyz"), "serve")) {
            int code = p.awaitExit(Duration.ofSeconds(20));

            assertThat(code).isEqualTo(2);
            assertThat(p.output()).contains(
                    "TIDEGATE_PORT: expected a port number 0-65535, got 'not-a-port'",
                    "TIDEGATE_LOG_LEVEL: expected one of trace, debug, info, warn, error, off, "
                            + "got 'verbose'",
                    "TIDEGATE_STORE: expected one of sqlite, dynamodb, got 'mysql'")
                    .doesNotContain("hook-secret-xyz");
        }
    }

    @Test
    void serveAnswersHealthAndReadinessThenStopsCleanlyOnSigterm(@TempDir Path dir)
            throws Exception {
        try (TidegateProcess p = serveInDryRun(dir)) {
            int port = p.awaitPort(Poll.START_UP);
            HttpClient http = HttpClient.newHttpClient();

            HttpResponse<String> health = http.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/healthz")).build(),
                    HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> ready = http.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/readyz")).build(),
                    HttpResponse.BodyHandlers.ofString());
            p.terminate();
            int code = p.awaitExit(Poll.START_UP);

            assertThat(health.statusCode()).isEqualTo(200);
            // honest: without GitHub credentials no pull request can be decided
            assertThat(ready.statusCode()).isEqualTo(503);
            assertThat(ready.body()).contains("\"policy\":{\"ready\":true,",
                    "\"store\":{\"ready\":true,", "\"github\":{\"ready\":false,\"detail\":"
                    + "\"no GitHub credentials (GITHUB_TOKEN or GITHUB_APP_ID): dry run, no pull "
                    + "request can be read, every gate call is denied\"}");
            assertThat(code).isEqualTo(143); // 128 + SIGTERM: the JVM's exit after its hooks ran
            assertThat(p.output()).contains("running in dry-run", "tidegate stopped")
                    .doesNotContain("api-token-never-logged");
            // Main binds SLF4J to LogProvider by name: a binding that failed to load would be
            // reported by SLF4J, and the lines would not have LogSetup's layout
            assertThat(p.output()).doesNotContain("SLF4J")
                    .containsPattern("(?m)^\\S+Z INFO  Server - tidegate listening on ");
        }
    }

    /** {@code tidegate serve} on a free port with the default policy and no GitHub credentials. */
    private static TidegateProcess serveInDryRun(Path dir) throws Exception {
        Path policy = Path.of("policies/policy.yaml").toAbsolutePath();
        return TidegateProcess.start(dir, Map.of(
                "TIDEGATE_PORT", "0", "TIDEGATE_BIND_ADDRESS", "127.0.0.1",
                "TIDEGATE_POLICY", policy.toString(),
                "TIDEGATE_API_TOKEN", "api-token-never-logged"), "serve");
    }

    @Test
    void aStopSignalDuringTheStartWaitsForItThenClosesInOrder(@TempDir Path dir)
            throws Exception {
        try (TidegateProcess p = serveInDryRun(dir)) {
            // logged inside Server.start, before the server listens
            p.awaitOutput("running in dry-run", Poll.START_UP);
            p.terminate();
            int code = p.awaitExit(Poll.START_UP);

            assertThat(code).as(p.output()).isEqualTo(143);
            assertThat(p.output()).contains("tidegate stopped")
                    .doesNotContain("Shutdown in progress", "Exception");
        }
    }

    /**
     * Issue 19: a bare {@code serve} (started without picocli) loads SQLite's library from its
     * copy in the data directory: the driver extracts nothing into the temp directory, on the
     * first start or the next, and the second start reuses the copy the first one wrote.
     */
    @Test
    void serveLoadsSqlitesLibraryFromItsCopyInTheDataDirectory(@TempDir Path dir)
            throws Exception {
        Path tmp = Files.createDirectories(dir.resolve("tmp"));
        Path data = dir.resolve("data");
        FileTime firstCopy = null;
        for (int start = 1; start <= 2; start++) {
            try (TidegateProcess p = TidegateProcess.start(dir, Map.of(
                    "TIDEGATE_PORT", "0", "TIDEGATE_BIND_ADDRESS", "127.0.0.1",
                    "TIDEGATE_DATA_DIR", data.toString(),
                    "TIDEGATE_POLICY", Path.of("policies/policy.yaml").toAbsolutePath().toString(),
                    "JAVA_TOOL_OPTIONS", "-Djava.io.tmpdir=" + tmp), "serve")) {
                int port = p.awaitPort(Poll.START_UP);
                HttpResponse<String> ready = HttpClient.newHttpClient().send(HttpRequest
                        .newBuilder(URI.create("http://127.0.0.1:" + port + "/readyz")).build(),
                        HttpResponse.BodyHandlers.ofString());

                assertThat(ready.body()).as("start %d", start)
                        .contains("\"store\":{\"ready\":true,");
                try (Stream<Path> extracted = Files.list(tmp)) {
                    assertThat(extracted.map(f -> f.getFileName().toString()))
                            .as("start %d", start).noneMatch(name -> name.startsWith("sqlite-"));
                }
                Path lib = copyIn(data);
                if (firstCopy == null) {
                    firstCopy = Files.getLastModifiedTime(lib);
                } else {
                    assertThat(Files.getLastModifiedTime(lib)).isEqualTo(firstCopy);
                }
                p.terminate();
                assertThat(p.awaitExit(Poll.START_UP)).as(p.output()).isEqualTo(143);
            }
        }
    }

    private static Path copyIn(Path data) throws IOException {
        try (Stream<Path> files = Files.walk(data.resolve("native"))) {
            return files.filter(f -> f.getFileName().toString().startsWith("libsqlitejdbc"))
                    .findFirst().orElseThrow();
        }
    }

    @Test
    void readinessFailsWhenThePolicyFileIsMissing(@TempDir Path dir) throws Exception {
        try (TidegateProcess p = TidegateProcess.start(dir, Map.of(
                "TIDEGATE_PORT", "0", "TIDEGATE_BIND_ADDRESS", "127.0.0.1",
                "TIDEGATE_POLICY", dir.resolve("absent.yaml").toString()), "serve")) {
            int port = p.awaitPort(Poll.START_UP);
            HttpResponse<String> ready = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/readyz")).build(),
                    HttpResponse.BodyHandlers.ofString());

            assertThat(ready.statusCode()).isEqualTo(503);
            assertThat(ready.body()).contains("\"policy\":{\"ready\":false,");
        }
    }
}
