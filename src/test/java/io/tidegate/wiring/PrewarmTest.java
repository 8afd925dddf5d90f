package io.tidegate.wiring;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import com.sun.net.httpserver.HttpServer;
import okhttp3.Call;
import okhttp3.EventListener;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The server's HTTP client keeps a connection per concurrent call, beyond OkHttp's five. */
@Timeout(60)
class PrewarmTest {
    private static final int CONCURRENT = 16;

    private HttpServer server;
    private ExecutorService serverThreads;
    private final ExecutorService callers = Executors.newFixedThreadPool(CONCURRENT);
    /** Every call of a wave waits here until all of the wave are in flight, each on a connection. */
    private final AtomicReference<CountDownLatch> inFlight = new AtomicReference<>();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        serverThreads = Executors.newFixedThreadPool(CONCURRENT);
        server.setExecutor(serverThreads);
        server.createContext("/", exchange -> {
            CountDownLatch wave = inFlight.get();
            wave.countDown();
            try {
                wave.await(30, TimeUnit.SECONDS);
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
    }

    @AfterEach
    void stop() {
        callers.shutdownNow();
        server.stop(0);
        serverThreads.shutdownNow();
    }

    @Test
    void concurrentCallsLeaveTheirConnectionsIdleForTheNextOnes() throws Exception {
        AtomicInteger connects = new AtomicInteger();
        OkHttpClient client = Prewarm.newHttpClient().newBuilder()
                .eventListener(new EventListener() {
                    @Override
                    public void connectStart(Call call, InetSocketAddress address, Proxy proxy) {
                        connects.incrementAndGet();
                    }
                }).build();
        try {
            wave(client);
            assertThat(connects).hasValue(CONCURRENT);
            // OkHttp's pool evicts idle connections beyond its limit on a background task as
            // they come back; give it the time to, so a pool of 5 would show here
            Thread.sleep(300);
            assertThat(client.connectionPool().idleConnectionCount()).isEqualTo(CONCURRENT);
            wave(client);
            assertThat(connects).as("connections opened by the second wave").hasValue(CONCURRENT);
        } finally {
            client.connectionPool().evictAll();
        }
    }

    /** {@value #CONCURRENT} calls at once, all answered 200. */
    private void wave(OkHttpClient client) throws Exception {
        inFlight.set(new CountDownLatch(CONCURRENT));
        String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/";
        List<Future<Integer>> calls = new ArrayList<>();
        for (int i = 0; i < CONCURRENT; i++) {
            calls.add(callers.submit(() -> {
                try (Response r = client.newCall(new Request.Builder().url(url).build())
                        .execute()) {
                    r.body().string();
                    return r.code();
                }
            }));
        }
        for (Future<Integer> call : calls) {
            assertThat(call.get(30, TimeUnit.SECONDS)).isEqualTo(200);
        }
    }
}
