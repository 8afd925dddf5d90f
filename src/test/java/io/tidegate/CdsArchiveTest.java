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
 * Issue 19: the launcher starts from the archive of a real start when one is there (and newer
 * than the jar), and starts the same without it, on both kinds of JDK it supports. On JDK 17
 * {@code bin/tidegate cds-archive} runs the real training run ({@code tidegate warm-up}) under
 * {@code -XX:ArchiveClassesAtExit} and writes {@code tidegate.jsa}; on JDK 25 (which the Docker
 * image can be built on) under {@code -XX:AOTCacheOutput}, and writes {@code tidegate.aot}.
 * Which file a class came from is read from the JVM's own class-loading log.
 *
 * <p>The JDK 25 test needs a JDK 25 or later: {@code -Dtidegate.jdk25=/path/to/jdk}, or one found
 * under {@code /usr/lib/jvm} (this project's machines have Temurin's there). Without one it
 * fails, saying so: the launcher's JDK 25 path is never left untested.
 */
@Tag("slow")
class CdsArchiveTest {
    /** A class of Tidegate's own taken from an archive (the JDK's classes come from its own). */
    private static final String FROM_ARCHIVE = "io\\.tidegate\\.\\S+ source: shared objects file";

    @TempDir
    Path dir;

    @Test
    void serveMapsTheClassDataSharingArchiveOnThisJdkAndStartsWithoutIt() throws Exception {
        Path javaHome = Path.of(System.getProperty("java.home"));
        String archive = Runtime.version().feature() >= 25 ? "tidegate.aot" : "tidegate.jsa";
        archiveIsUsedWhenFreshAndStartsWithout(javaHome, archive);
    }

    @Test
    void onJdk25ServeMapsTheAotCacheAndStartsWithoutIt() throws Exception {
        archiveIsUsedWhenFreshAndStartsWithout(jdk25(), "tidegate.aot");
    }

    private void archiveIsUsedWhenFreshAndStartsWithout(Path javaHome, String archiveName)
            throws Exception {
        Path checkout = checkout();
        Path archive = checkout.resolve("target/" + archiveName);
        Map<String, String> env = Map.of("JAVA_HOME", javaHome.toString());

        try (TidegateProcess training = TidegateProcess.shell(checkout, env,
                "bin/tidegate cds-archive")) {
            assertThat(training.awaitExit(Poll.START_UP)).as(training.output()).isZero();
            assertThat(training.output()).contains("warm-up done", "wrote ", archiveName);
        }
        assertThat(archive).isRegularFile();
        assertThat(Files.size(archive)).isGreaterThan(1_000_000);

        String withArchive = serveAndReadClassLog(checkout, javaHome, "with");
        assertThat(withArchive).containsPattern(FROM_ARCHIVE);

        // a rebuilt jar is newer than the archive: never run against a stale one
        Files.setLastModifiedTime(checkout.resolve("target/tidegate.jar"),
                FileTime.from(Instant.now().plusSeconds(5)));
        assertThat(serveAndReadClassLog(checkout, javaHome, "stale"))
                .containsPattern("io\\.tidegate\\.Main source: (file|jar):")
                .doesNotContainPattern(FROM_ARCHIVE);

        Files.delete(archive);
        assertThat(serveAndReadClassLog(checkout, javaHome, "without"))
                .containsPattern("io\\.tidegate\\.Main source: (file|jar):")
                .doesNotContainPattern(FROM_ARCHIVE);
    }

    /** A JDK of feature version 25 or later: the property's, else the newest under /usr/lib/jvm. */
    private static Path jdk25() throws IOException {
        String given = System.getProperty("tidegate.jdk25");
        if (given != null) {
            assertThat(featureVersion(Path.of(given))).as("-Dtidegate.jdk25=" + given
                    + " must be a JDK 25 or later").isGreaterThanOrEqualTo(25);
            return Path.of(given);
        }
        Path jvms = Path.of("/usr/lib/jvm");
        try (Stream<Path> homes = Files.isDirectory(jvms) ? Files.list(jvms) : Stream.empty()) {
            return homes.filter(h -> featureVersion(h) >= 25).sorted().reduce((a, b) -> b)
                    .orElseThrow(() -> new AssertionError("no JDK 25 or later under " + jvms
                            + ": install one (e.g. Temurin 25) or pass"
                            + " -Dtidegate.jdk25=/path/to/jdk"));
        }
    }

    /** The JDK's feature version from its release file (as the launcher reads it), or 0. */
    private static int featureVersion(Path home) {
        try {
            java.util.regex.Matcher m = java.util.regex.Pattern
                    .compile("(?m)^JAVA_VERSION=\"(\\d+)").matcher(
                            Files.readString(home.resolve("release")));
            return Files.isExecutable(home.resolve("bin/java")) && m.find()
                    ? Integer.parseInt(m.group(1)) : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    /** Starts {@code bin/tidegate serve} until it listens; returns its class-loading log. */
    private String serveAndReadClassLog(Path checkout, Path javaHome, String name)
            throws Exception {
        Path log = dir.resolve("classes-" + name + ".log");
        Map<String, String> env = Map.of("TIDEGATE_PORT", "0",
                "TIDEGATE_BIND_ADDRESS", "127.0.0.1", "GITHUB_WEBHOOK_SECRET", "cds-test",
                "TIDEGATE_DATA_DIR", dir.resolve("data-" + name).toString(),
                "JAVA_HOME", javaHome.toString(),
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
