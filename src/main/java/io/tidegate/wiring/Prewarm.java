package io.tidegate.wiring;

import java.security.KeyStore;
import java.util.concurrent.atomic.AtomicReference;

import javax.net.ssl.TrustManagerFactory;

/**
 * Start-up work that needs no configuration, done on the second core while the main thread
 * reads the configuration, opens the store and loads the policy: the JDK's trust store (about
 * 140 certificates parsed the first time any HTTPS client is built: OkHttp's constructor does
 * it), SQLite's native library, Jackson's and SnakeYAML's set-up. Whatever this has not finished
 * when the main thread needs it, the main thread does itself (class initialisation and the
 * JDK's trust-store cache are thread-safe), so nothing waits for it and a failure here changes
 * nothing but the time. Issue 19 measured a start at 2.8-3.9 s, much of it these.
 */
public final class Prewarm {
    /** Keeps the parsed trust store reachable (the JDK caches it behind a weak reference). */
    private static final AtomicReference<Object> TRUST = new AtomicReference<>();

    private Prewarm() {}

    /** Starts the warming on a daemon thread and returns at once. */
    public static void start() {
        Thread t = new Thread(Prewarm::run, "tidegate-prewarm");
        t.setDaemon(true);
        t.start();
    }

    private static void run() {
        quietly(Prewarm::trustStore);
        quietly(() -> org.sqlite.SQLiteJDBCLoader.initialize());
        quietly(Json::mapper);
        quietly(() -> Class.forName("io.tidegate.policy.YamlReader"));
    }

    private static Object trustStore() throws Exception {
        TrustManagerFactory f = TrustManagerFactory.getInstance(
                TrustManagerFactory.getDefaultAlgorithm());
        f.init((KeyStore) null);
        TRUST.set(f.getTrustManagers());
        return f;
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
