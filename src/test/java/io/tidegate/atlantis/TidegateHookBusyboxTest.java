package io.tidegate.atlantis;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every case of {@link TidegateHookTest} again in BusyBox's shell, with BusyBox's awk, sed and
 * the rest first on the PATH and only curl from the system: what a run step finds in Atlantis's
 * default image, which is Alpine (runatlantis/atlantis {@code Dockerfile}, its {@code alpine}
 * stage: {@code apk add} curl, git, bash... and no other awk), while Atlantis runs the step
 * with {@code sh -c} ({@code server/core/runtime/run_step_runner.go}:
 * {@code exec.Command("sh", "-c", command)}). Needs BusyBox
 * ({@code apt-get install busybox}; {@code .ci/run} installs it): without it this fails, saying
 * so.
 */
@Tag("slow")
class TidegateHookBusyboxTest extends TidegateHookTest {
    static final Path BUSYBOX = Path.of(System.getProperty("tidegate.busybox",
            "/usr/bin/busybox"));

    @TempDir
    static Path applets;

    @BeforeAll
    static void installApplets() throws IOException, InterruptedException {
        assertThat(BUSYBOX).as("BusyBox, to run the hook as Atlantis's Alpine image does"
                + " (apt-get install busybox, or -Dtidegate.busybox=PATH)").isExecutable();
        Process p = new ProcessBuilder(BUSYBOX.toString(), "--install", "-s", applets.toString())
                .redirectErrorStream(true).start();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(new String(p.getInputStream().readAllBytes())).isZero();
        Files.deleteIfExists(applets.resolve("curl")); // BusyBox has none; Alpine installs curl
        // the script's tools resolve to BusyBox's, and curl to the system's
        ProcessBuilder which = new ProcessBuilder(BUSYBOX.toString(), "sh", "-c",
                "for t in awk sed tr curl; do command -v $t; done").redirectErrorStream(true);
        which.environment().put("PATH", applets + ":" + System.getenv("PATH"));
        Process w = which.start();
        assertThat(w.waitFor(30, TimeUnit.SECONDS)).isTrue(); // four short lines: then read
        String found = new String(w.getInputStream().readAllBytes());
        assertThat(found.lines().toList()).as(found).hasSize(4)
                .startsWith(applets.resolve("awk").toString(), applets.resolve("sed").toString(),
                        applets.resolve("tr").toString())
                .last().asString().doesNotStartWith(applets.toString()).endsWith("/curl");
    }

    @Override
    List<String> shell() {
        return List.of(BUSYBOX.toString(), "sh");
    }

    @Override
    String path() {
        return applets + ":" + System.getenv("PATH");
    }
}
