package io.tidegate;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The real {@code tidegate} program in a child JVM, with the test class path, so tests see exit
 * codes, output and signals exactly as an operator would.
 */
public final class TidegateProcess implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile("listening on [^:]+:(\\d+)");

    private final Process process;
    private final Path log;

    private TidegateProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /** Starts {@code tidegate ARGS} with exactly {@code env} added to a minimal environment. */
    public static TidegateProcess start(Path workDir, Map<String, String> env, String... args)
            throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "io.tidegate.Main"));
        command.addAll(List.of(args));
        // Output goes to a file: reading a pipe while the process exits can lose the last lines.
        Path log = Files.createTempFile(workDir, "tidegate-", ".log");
        ProcessBuilder pb = new ProcessBuilder(command).directory(workDir.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("TIDEGATE_")
                || k.startsWith("GITHUB_") || k.startsWith("SLACK_") || k.startsWith("AWS_"));
        pb.environment().putAll(env);
        return new TidegateProcess(pb.start(), log);
    }

    /** Runs a shell command line as a person types it (the README's quick start). */
    public static TidegateProcess shell(Path workDir, Map<String, String> env, String line)
            throws IOException {
        Path log = Files.createTempFile(workDir, "tidegate-", ".log");
        ProcessBuilder pb = new ProcessBuilder("sh", "-c", line).directory(workDir.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("TIDEGATE_")
                || k.startsWith("GITHUB_") || k.startsWith("SLACK_") || k.startsWith("AWS_"));
        pb.environment().putAll(env);
        return new TidegateProcess(pb.start(), log);
    }

    private List<String> lines() {
        try {
            return Files.readAllLines(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return List.of("(log unreadable: " + e + ")");
        }
    }

    /** Waits for the "listening on host:port" line and returns the port. */
    public int awaitPort(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            for (String line : lines()) {
                Matcher m = LISTENING.matcher(line);
                if (m.find()) {
                    return Integer.parseInt(m.group(1));
                }
            }
            if (!process.isAlive()) {
                break;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("tidegate did not start listening; output:\n" + output());
    }

    /** Waits for a line of output containing {@code text}. */
    public void awaitOutput(String text, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (lines().stream().anyMatch(l -> l.contains(text))) {
                return;
            }
            if (!process.isAlive()) {
                break;
            }
            Thread.sleep(5);
        }
        throw new AssertionError("tidegate never printed \"" + text + "\"; output:\n" + output());
    }

    public int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("tidegate did not exit; output:\n" + output());
        }
        return process.exitValue();
    }

    /**
     * SIGTERM, as an orchestrator stops a container: to the JVM too when a shell started it
     * (a shell that does not exec its last command would otherwise die alone and leave the
     * server running after the test).
     */
    public void terminate() {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
    }

    public void kill() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    public String output() {
        return String.join("\n", lines());
    }

    @Override
    public void close() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        if (process.isAlive()) {
            process.destroyForcibly();
        }
    }
}
