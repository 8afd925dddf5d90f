package io.tidegate;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Once {@link Main} has run, concurrent calls over the JDK's {@code HttpURLConnection} (under
 * every AWS client) keep their connections for the next calls, beyond the JDK's default of 5
 * per host. In a child JVM: the JDK reads its limit once per process, and this test JVM's other
 * tests have long made connections of their own.
 */
@Timeout(120)
class IdleConnectionsTest {
    static final int CONCURRENT = 16;

    @Test
    void concurrentUrlConnectionCallsReuseTheirConnectionsOnceMainHasRun() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process probe = new ProcessBuilder(java.toString(), "-cp",
                System.getProperty("java.class.path"), Probe.class.getName())
                .redirectErrorStream(true).start();
        String output;
        try (InputStream in = probe.getInputStream()) {
            output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(probe.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(probe.exitValue()).as(output).isZero();
        // two waves of 16 concurrent calls: the second opens no connection of its own
        assertThat(output).contains("connections=" + CONCURRENT);
    }

    /** Two waves of concurrent GETs; prints how many connections the server saw. */
    public static final class Probe {
        public static void main(String[] args) throws Exception {
            Main.keepIdleConnections();
            Set<Integer> clientPorts = ConcurrentHashMap.newKeySet();
            AtomicReference<CountDownLatch> wave = new AtomicReference<>();
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            ExecutorService serverThreads = Executors.newFixedThreadPool(CONCURRENT);
            server.setExecutor(serverThreads);
            server.createContext("/", exchange -> {
                clientPorts.add(exchange.getRemoteAddress().getPort());
                CountDownLatch all = wave.get();
                all.countDown();
                try {
                    // every call of the wave is in flight at once, each on its own connection
                    all.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                byte[] body = "ok".getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            });
            server.start();
            ExecutorService callers = Executors.newFixedThreadPool(CONCURRENT);
            URL url = new URL("http://127.0.0.1:" + server.getAddress().getPort() + "/");
            try {
                for (int round = 0; round < 2; round++) {
                    wave.set(new CountDownLatch(CONCURRENT));
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
            } finally {
                callers.shutdownNow();
                server.stop(0);
                serverThreads.shutdownNow();
            }
            System.out.println("connections=" + clientPorts.size());
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
