package io.tidegate;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import com.sun.net.httpserver.HttpServer;

/**
 * A loopback HTTP server for connection-reuse tests. It answers a call ({@code 200 ok}, with a
 * length, so the connection can be kept) only once a whole wave of {@code concurrent} calls is in
 * flight, so each call of a wave holds a connection of its own. It counts the connections it saw
 * by their client ports. A wave that never fills is answered after 30 s all the same.
 */
public final class WaveServer implements AutoCloseable {
    private final int concurrent;
    private final HttpServer server;
    private final ExecutorService threads;
    private final AtomicReference<CountDownLatch> wave = new AtomicReference<>();
    private final Set<Integer> clientPorts = ConcurrentHashMap.newKeySet();

    public WaveServer(int concurrent) throws IOException {
        this.concurrent = concurrent;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        this.threads = Executors.newFixedThreadPool(concurrent);
        server.setExecutor(threads);
        server.createContext("/", exchange -> {
            clientPorts.add(exchange.getRemoteAddress().getPort());
            CountDownLatch all = wave.get();
            all.countDown();
            try {
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
        expectWave();
        server.start();
    }

    /** The next {@code concurrent} calls form a wave. */
    public void expectWave() {
        wave.set(new CountDownLatch(concurrent));
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/";
    }

    /** Connections the calls so far came on. */
    public int connections() {
        return clientPorts.size();
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
