package io.tidegate.wiring;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import io.tidegate.http.WebServer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import okhttp3.ConnectionPool;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;

/**
 * Start-up work that needs no configuration, done on the second core while the main thread
 * reads the configuration, opens the store and loads the policy: the metrics registry (50-100
 * ms of the main thread), Jackson's and SnakeYAML's set-up, the server's HTTP client (its
 * constructor parses the JDK's ~140 trusted certificates and sets up TLS: 0.15-0.4 s of a start
 * on the main thread) and its first URL, and Javalin's and Jetty's classes (the web server is
 * built last, 0.3-0.4 s of the main thread). Not logback's set-up ({@link #start()} says why).
 *
 * <p>The main thread takes the registry and the HTTP client built here
 * ({@link #meterRegistry()}, {@link #httpClient()}), waiting for them if need be, or builds its
 * own when there are none. Everything else it simply finds done or does itself (class
 * initialisation is thread-safe), and a failure here changes nothing but the time. Issue 19
 * measured a start at 2.8-3.9 s, much of it these.
 */
public final class Prewarm {
    private static final Duration WAIT_FOR_PART = Duration.ofSeconds(30);
    /**
     * Idle connections the server's HTTP client keeps, per process (GitHub and Slack share
     * them). OkHttp's default pool keeps 5: with more concurrent gate decisions than that, each
     * returned connection beyond the fifth was closed and the next call opened a new one (a TCP
     * and, to api.github.com, a TLS handshake): 20 s at 16 concurrent decisions closed 1,024
     * connections to the benchmark's GitHub stand-in, about one call in thirty, and 20 with
     * this pool. An idle connection costs a socket and its buffers.
     */
    static final int IDLE_CONNECTIONS = 32;
    /** How long an idle connection is kept (OkHttp's default). */
    static final Duration IDLE_KEEP = Duration.ofMinutes(5);
    /** The client the warming builds, until a server takes it. */
    private static final AtomicReference<CompletableFuture<OkHttpClient>> CLIENT =
            new AtomicReference<>();
    /** The same for the metrics registry, the first thing the main thread builds. */
    private static final AtomicReference<CompletableFuture<PrometheusMeterRegistry>> REGISTRY =
            new AtomicReference<>();

    private Prewarm() {}

    /**
     * Starts the warming on a daemon thread and returns at once. Logging is set up first, on the
     * caller's thread: a logger asked for on another thread while SLF4J starts is a stand-in
     * whose first lines come late and with a warning on stderr (the registry and Jetty log).
     */
    public static void start() {
        org.slf4j.LoggerFactory.getILoggerFactory();
        CompletableFuture<OkHttpClient> client = new CompletableFuture<>();
        CLIENT.set(client);
        CompletableFuture<PrometheusMeterRegistry> registry = new CompletableFuture<>();
        REGISTRY.set(registry);
        Thread t = new Thread(() -> run(registry, client), "tidegate-prewarm");
        t.setDaemon(true);
        t.start();
    }

    /**
     * The HTTP client the warming built, to the first server that asks; a new one for any other
     * (tests start many servers in one JVM, and each closes its own client).
     */
    public static OkHttpClient httpClient() {
        return take(CLIENT, Prewarm::newHttpClient);
    }

    /** The server's HTTP client: OkHttp's defaults but a pool sized for concurrent calls. */
    static OkHttpClient newHttpClient() {
        return new OkHttpClient.Builder()
                .connectionPool(new ConnectionPool(IDLE_CONNECTIONS, IDLE_KEEP.toMillis(),
                        TimeUnit.MILLISECONDS))
                .build();
    }

    /** The metrics registry the warming built, to the first server that asks; else a new one. */
    public static PrometheusMeterRegistry meterRegistry() {
        return take(REGISTRY, Prewarm::newRegistry);
    }

    private static <T> T take(AtomicReference<CompletableFuture<T>> slot, Supplier<T> build) {
        CompletableFuture<T> built = slot.getAndSet(null);
        if (built != null) {
            try {
                return built.get(WAIT_FOR_PART.toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException | TimeoutException e) {
                // built below, where a real problem shows its own error
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return build.get();
    }

    private static void run(CompletableFuture<PrometheusMeterRegistry> registry,
            CompletableFuture<OkHttpClient> client) {
        // in the order the main thread needs them: the metrics, the policy load, the GitHub
        // client, the web server
        build(registry, Prewarm::newRegistry);
        quietly(Json::mapper);
        quietly(() -> Class.forName("io.tidegate.policy.YamlReader"));
        quietly(Prewarm::parseUrl);
        build(client, Prewarm::newHttpClient);
        quietly(WebServer::loadClasses);
    }

    /**
     * OkHttp puts every host through {@code java.net.IDN}, whose first use builds the JDK's
     * Unicode tables: 40-50 ms of the main thread when the GitHub client parsed its API URL.
     */
    private static Object parseUrl() {
        return HttpUrl.get("https://api.github.com/");
    }

    private static PrometheusMeterRegistry newRegistry() {
        return new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    }

    private static <T> void build(CompletableFuture<T> slot, Supplier<T> build) {
        try {
            slot.complete(build.get());
        } catch (RuntimeException | LinkageError e) {
            slot.completeExceptionally(e);
        }
    }

    private interface Work {
        Object run() throws Exception;
    }

    private static void quietly(Work work) {
        try {
            work.run();
        } catch (Exception | LinkageError e) {
            // the main thread meets the same problem on its own path and reports it there
        }
    }
}
