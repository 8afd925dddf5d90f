package io.tidegate;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Once {@link Main} has run, concurrent calls over the JDK's {@code HttpURLConnection} (under
 * every AWS client) keep their connections for the next calls, beyond the JDK's default of 5
 * per host. In a child JVM: the JDK reads its limit once per process, and this test JVM's other
 * tests have long made connections of their own.
 */
@Timeout(120)
class IdleConnectionsTest {
    static final int CONCURRENT = 16;

    @TempDir
    Path dir;

    @Test
    void concurrentUrlConnectionCallsReuseTheirConnectionsOnceMainHasRun() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Path log = dir.resolve("probe.log");
        // into a file, not a pipe: a read of a pipe would wait for a hung child without end
        Process probe = new ProcessBuilder(java.toString(), "-cp",
                System.getProperty("java.class.path"), Probe.class.getName())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        boolean exited = probe.waitFor(60, TimeUnit.SECONDS);
        if (!exited) {
            probe.destroyForcibly();
        }
        String output = Files.readString(log);
        assertThat(exited).as(output).isTrue();
        assertThat(probe.exitValue()).as(output).isZero();
        // two waves of 16 concurrent calls: the second opens no connection of its own
        assertThat(output).contains("connections=" + CONCURRENT);
    }

    /** Two waves of concurrent GETs; prints how many connections the server saw. */
    public static final class Probe {
        public static void main(String[] args) throws Exception {
            Main.keepIdleConnections();
            ExecutorService callers = Executors.newFixedThreadPool(CONCURRENT);
            try (WaveServer server = new WaveServer(CONCURRENT)) {
                URL url = new URL(server.url());
                for (int round = 0; round < 2; round++) {
                    server.expectWave();
                    List<Future<Integer>> calls = new ArrayList<>();
                    for (int i = 0; i < CONCURRENT; i++) {
                        calls.add(callers.submit(() -> get(url)));
                    }
                    for (Future<Integer> call : calls) {
                        if (call.get(30, TimeUnit.SECONDS) != 200) {
                            throw new IllegalStateException("a call was not answered 200");
                        }
                    }
                }
                System.out.println("connections=" + server.connections());
            } finally {
                callers.shutdownNow();
            }
        }

        /** A GET read to its end, so the JDK may keep the connection. */
        private static int get(URL url) throws Exception {
            HttpURLConnection c = (HttpURLConnection) url.openConnection();
            try (InputStream in = c.getInputStream()) {
                in.readAllBytes();
            }
            return c.getResponseCode();
        }
    }
}
