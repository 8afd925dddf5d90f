package io.tidegate;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bin/tidegate}, the POSIX sh launcher, run with {@code sh} as a shell runs it. */
@Tag("slow")
class LauncherTest {
    @TempDir
    Path dir;

    @Test
    void findsTheJarInTargetOfItsCheckout() throws Exception {
        Path launcher = Launcher.inCheckoutLayout(dir.resolve("checkout"));
        // JAVA_HOME's java runs it: this test's own
        try (TidegateProcess p = TidegateProcess.shell(dir,
                Map.of("JAVA_HOME", System.getProperty("java.home")), launcher + " version")) {
            assertThat(p.awaitExit(Duration.ofSeconds(60))).as(p.output()).isZero();
            assertThat(p.output()).matches("tidegate \\d+\\.\\d+\\.\\d+\\S* \\(Java "
                    + Runtime.version().feature() + "[^)]*\\)");
        }
    }

    @Test
    void findsTheJarNextToItAsInTheDockerImageAndPassesEveryArgument() throws Exception {
        Path app = Files.createDirectories(dir.resolve("app/bin"));
        Files.copy(Path.of("bin/tidegate"), app.resolve("tidegate"));
        Launcher.writeJar(dir.resolve("app/tidegate.jar"));
        try (TidegateProcess p = TidegateProcess.shell(dir, Map.of(), app.resolve("tidegate")
                + " help 'windows'")) {
            assertThat(p.awaitExit(Duration.ofSeconds(60))).as(p.output()).isZero();
            assertThat(p.output()).startsWith("Usage: tidegate windows");
        }
    }

    @Test
    void withoutAJarSaysHowToBuildOneAndExits2() throws Exception {
        Path bin = Files.createDirectories(dir.resolve("bare/bin"));
        Files.copy(Path.of("bin/tidegate"), bin.resolve("tidegate"));
        try (TidegateProcess p = TidegateProcess.shell(dir, Map.of(), bin.resolve("tidegate")
                + " version")) {
            assertThat(p.awaitExit(Duration.ofSeconds(30))).isEqualTo(2);
            assertThat(p.output()).isEqualTo("tidegate: no tidegate.jar next to " + bin
                    + " or in " + bin + "/../target; build it with ./mvnw -q -DskipTests "
                    + "package");
        }
    }
}
