package io.tidegate;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Stream;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15: the README's quick start, followed word for word in a checkout with no credentials,
 * shows a webhook producing a logged comment and status. The commands are read from the README
 * (so the test breaks when the text drifts) and run with {@code sh} as typed, the server through
 * the real {@code bin/tidegate} launcher; only the port is random instead of 4142.
 */
@Tag("slow")
class QuickStartTest {
    private static final String SHA = "6dcb09b5b57875f334f61aebed695e2e4193db5e";

    @TempDir
    Path dir;

    @Test
    void webhookWithoutCredentialsLogsTheWaitingCommentAndErrorStatusesOnceAndIsNotRetried()
            throws Exception {
        List<List<String>> blocks = shBlocks(quickStart());
        String build = "./mvnw -q -DskipTests package && ";
        assertThat(blocks.get(0)).containsExactly(build
                + "GITHUB_WEBHOOK_SECRET=quickstart bin/tidegate serve");
        // the build has run (this test runs in it): the serve half is what is started here
        String serve = blocks.get(0).get(0).substring(build.length());
        assertThat(blocks.get(1)).containsExactly(
                "examples/send-webhook pull_request examples/pull_request.opened.json");
        Path checkout = checkout();

        try (TidegateProcess server = TidegateProcess.shell(checkout, Map.of("TIDEGATE_PORT",
                "0", "TIDEGATE_BIND_ADDRESS", "127.0.0.1"), serve)) {
            int port = server.awaitPort(Poll.START_UP);
            try (TidegateProcess send = TidegateProcess.shell(checkout, Map.of("TIDEGATE_URL",
                    "http://127.0.0.1:" + port), blocks.get(1).get(0))) {
                assertThat(send.awaitExit(Duration.ofSeconds(60))).as(send.output()).isZero();
                assertThat(send.output()).startsWith("{\"queued\":\"example-");
            }
            String comment = "dry run: would create the sticky comment on acme/infra#1 (";
            String staging = "dry run: would set tidegate/staging on acme/infra@" + SHA
                    + " to error: Tidegate cannot read this pull request: no GitHub credentials"
                    + " (dry run)";
            String production = staging.replace("tidegate/staging", "tidegate/production");
            await(server, out -> out.contains(comment) && out.contains(staging)
                    && out.contains(production));
            assertThat(server.output()).contains("): ⏳ Waiting for facts: Tidegate has no "
                    + "GitHub credentials to read this pull request with.");

            HttpResponse<String> ready = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/readyz")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(ready.statusCode()).isEqualTo(503);
            assertThat(ready.body()).contains("\"github\":{\"ready\":false,");

            // Done with the event: no retry comes (the first would come within seconds).
            Thread.sleep(3_000);
            String out = server.output();
            assertThat(out.split("dry run without GitHub credentials", -1)).hasSize(2);
            assertThat(out).doesNotContain("retrying", "gave up", "Exception");
            assertThat(out.split("would create the sticky comment", -1)).hasSize(2);
        }
    }

    private static String quickStart() throws IOException {
        String readme = Files.readString(Path.of("README.md"));
        int from = readme.indexOf("## Quick start");
        return readme.substring(from, readme.indexOf("\n## ", from + 1));
    }

    /** The lines of each fenced {@code sh} block, in order. */
    static List<List<String>> shBlocks(String markdown) {
        List<List<String>> out = new ArrayList<>();
        List<String> block = null;
        for (String line : markdown.lines().toList()) {
            if (block == null && line.equals("```sh")) {
                block = new ArrayList<>();
            } else if (block != null && line.equals("```")) {
                out.add(block);
                block = null;
            } else if (block != null) {
                block.add(line);
            }
        }
        return out;
    }

    /** A fresh checkout's policy and examples, and the launcher with a jar in target/. */
    private Path checkout() throws IOException {
        Path checkout = dir.resolve("checkout");
        Launcher.inCheckoutLayout(checkout);
        for (String folder : List.of("policies", "examples")) {
            try (Stream<Path> files = Files.walk(Path.of(folder))) {
                for (Path f : files.toList()) {
                    Path to = checkout.resolve(f.toString());
                    if (Files.isDirectory(f)) {
                        Files.createDirectories(to);
                    } else {
                        Files.copy(f, to, java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
                    }
                }
            }
        }
        return checkout;
    }

    private static void await(TidegateProcess p, Predicate<String> done)
            throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (done.test(p.output())) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the expected log lines did not come; output:\n" + p.output());
    }
}
