package io.tidegate.wiring;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.net.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.tidegate.WaveServer;
import okhttp3.Call;
import okhttp3.EventListener;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The server's HTTP client keeps a connection per concurrent call, beyond OkHttp's five. */
@Timeout(60)
class PrewarmTest {
    private static final int CONCURRENT = 16;

    private final ExecutorService callers = Executors.newFixedThreadPool(CONCURRENT);

    @AfterEach
    void stop() {
        callers.shutdownNow();
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
        try (WaveServer server = new WaveServer(CONCURRENT)) {
            wave(client, server);
            assertThat(connects).hasValue(CONCURRENT);
            // OkHttp's pool evicts idle connections beyond its limit on a background task as
            // they come back; give it the time to, so a pool of 5 would show here
            Thread.sleep(300);
            assertThat(client.connectionPool().idleConnectionCount()).isEqualTo(CONCURRENT);
            server.expectWave();
            wave(client, server);
            assertThat(connects).as("connections opened by the second wave").hasValue(CONCURRENT);
        } finally {
            client.connectionPool().evictAll();
        }
    }

    /** {@value #CONCURRENT} calls at once, all answered 200. */
    private void wave(OkHttpClient client, WaveServer server) throws Exception {
        List<Future<Integer>> calls = new ArrayList<>();
        for (int i = 0; i < CONCURRENT; i++) {
            calls.add(callers.submit(() -> {
                try (Response r = client.newCall(new Request.Builder().url(server.url()).build())
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
