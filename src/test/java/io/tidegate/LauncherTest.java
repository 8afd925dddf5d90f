package io.tidegate;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

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

    /**
     * The periodic native-heap trim is passed only to JVMs that know the flag (17.0.9+, 21.0.1+,
     * 22+): an older one refuses to start on an unknown -XX option. The JDKs here are stand-ins
     * (a release file and a bin/java that prints its arguments), as the launcher reads the
     * version from the release file without starting a JVM.
     */
    @ParameterizedTest
    @CsvSource({"17.0.15, true", "17.0.9, true", "17.0.8, false", "17, false", "18.0.2, false",
            "21, false", "21.0.1, true", "25.0.1, true", "26, true"})
    void trimsTheNativeHeapOnlyOnJvmsThatHaveTheFlag(String version, boolean trims)
            throws Exception {
        Path launcher = Launcher.inCheckoutLayout(dir.resolve("checkout"));
        Path home = Files.createDirectories(dir.resolve("jdk/bin"));
        Files.writeString(dir.resolve("jdk/release"), "JAVA_VERSION=\"" + version + "\"\n");
        Path java = home.resolve("java");
        Files.writeString(java, "#!/bin/sh\necho \"$@\"\n");
        assertThat(java.toFile().setExecutable(true)).isTrue();
        try (TidegateProcess p = TidegateProcess.shell(dir,
                Map.of("JAVA_HOME", dir.resolve("jdk").toString()), launcher + " version")) {
            assertThat(p.awaitExit(Duration.ofSeconds(30))).as(p.output()).isZero();
            assertThat(p.output()).contains("-XX:+UseSerialGC -Xms48m -Xmx128m")
                    .contains("-XX:-UsePerfData").endsWith("/target/tidegate.jar version");
            assertTrim(p.output(), trims);
        }
    }

    /** This JDK (the one CI runs) takes the launcher's settings and starts with them. */
    @Test
    void theLaunchersMemorySettingsStartThisJvm() throws Exception {
        Path launcher = Launcher.inCheckoutLayout(dir.resolve("checkout"));
        try (TidegateProcess p = TidegateProcess.shell(dir,
                Map.of("JAVA_HOME", System.getProperty("java.home"),
                        "JAVA_OPTS", "-XX:+PrintCommandLineFlags"), launcher + " version")) {
            assertThat(p.awaitExit(Duration.ofSeconds(60))).as(p.output()).isZero();
            assertThat(p.output()).contains("-XX:+UseSerialGC").contains("-XX:-UsePerfData")
                    .contains("tidegate ");
            Runtime.Version v = Runtime.version();
            assertTrim(p.output(), v.feature() == 17 && v.update() >= 9
                    || v.feature() == 21 && v.update() >= 1 || v.feature() >= 22);
        }
    }

    private static void assertTrim(String javaArguments, boolean trims) {
        if (trims) {
            assertThat(javaArguments).contains("-XX:TrimNativeHeapInterval=5000");
        } else {
            assertThat(javaArguments).doesNotContain("TrimNativeHeap");
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
