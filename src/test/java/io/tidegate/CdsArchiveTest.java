package io.tidegate;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 19: the launcher starts from the class-data-sharing archive when one is there (and newer
 * than the jar), and starts the same without it. {@code bin/tidegate cds-archive} runs the real
 * training run ({@code tidegate warm-up}) under {@code -XX:ArchiveClassesAtExit}; which file a
 * class came from is read from the JVM's own class-loading log.
 */
@Tag("slow")
class CdsArchiveTest {
    @TempDir
    Path dir;

    @Test
    void serveMapsTheArchiveWhenPresentAndStartsWithoutIt() throws Exception {
        Path checkout = checkout();
        Path jsa = checkout.resolve("target/tidegate.jsa");

        try (TidegateProcess training = TidegateProcess.shell(checkout, Map.of(),
                "bin/tidegate cds-archive")) {
            assertThat(training.awaitExit(Poll.START_UP)).as(training.output()).isZero();
            assertThat(training.output()).contains("warm-up done", "wrote ");
        }
        assertThat(jsa).isRegularFile();
        assertThat(Files.size(jsa)).isGreaterThan(1_000_000);

        String withArchive = serveAndReadClassLog(checkout, "with");
        assertThat(withArchive).containsPattern(
                "io\\.tidegate\\.Main source: shared objects file \\(top\\)");

        // a rebuilt jar is newer than the archive: never run against a stale one
        Files.setLastModifiedTime(checkout.resolve("target/tidegate.jar"),
                FileTime.from(Instant.now().plusSeconds(5)));
        assertThat(serveAndReadClassLog(checkout, "stale"))
                .containsPattern("io\\.tidegate\\.Main source: (file|jar):")
                .doesNotContain("shared objects file (top)");

        Files.delete(jsa);
        assertThat(serveAndReadClassLog(checkout, "without"))
                .containsPattern("io\\.tidegate\\.Main source: (file|jar):")
                .doesNotContain("shared objects file (top)");
    }

    /** Starts {@code bin/tidegate serve} until it listens; returns its class-loading log. */
    private String serveAndReadClassLog(Path checkout, String name) throws Exception {
        Path log = dir.resolve("classes-" + name + ".log");
        Map<String, String> env = Map.of("TIDEGATE_PORT", "0",
                "TIDEGATE_BIND_ADDRESS", "127.0.0.1", "GITHUB_WEBHOOK_SECRET", "cds-test",
                "TIDEGATE_DATA_DIR", dir.resolve("data-" + name).toString(),
                "JAVA_OPTS", "-Xlog:class+load=info:file=" + log);
        // exec: the signal reaches the JVM itself, which exits 143 after its orderly shutdown
        try (TidegateProcess server = TidegateProcess.shell(checkout, env,
                "exec bin/tidegate serve")) {
            server.awaitPort(Poll.START_UP);
            server.terminate();
            assertThat(server.awaitExit(Duration.ofSeconds(60))).as(server.output())
                    .isIn(0, 143);
            assertThat(server.output()).contains("tidegate stopped");
        }
        return Files.readString(log);
    }

    private Path checkout() throws IOException {
        Path checkout = dir.resolve("checkout");
        Launcher.inCheckoutLayoutWithClasses(checkout);
        try (Stream<Path> files = Files.walk(Path.of("policies"))) {
            for (Path f : files.toList()) {
                Path to = checkout.resolve(f.toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(f, to, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
        return checkout;
    }
}
