package io.tidegate.http;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.json.JavalinJackson;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jetty.JettyServerThreadPoolMetrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tidegate.store.StoreException;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.ThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import io.tidegate.health.Readiness;

/**
 * Tidegate's HTTP server: health, readiness and metrics routes, the feature route groups, and the
 * one place where exceptions become status codes. Every error answer is JSON
 * ({@code {"error": "...", "status": n}}); no stack trace ever reaches a caller.
 */
public final class WebServer {
    private static final Logger log = LoggerFactory.getLogger(WebServer.class);
    /** Request attribute set once an error answer is written, so no later handler replaces it. */
    private static final String ANSWERED = "tidegate.error-answered";
    /** Largest body any route accepts (plan uploads); routes enforce their own smaller limits. */
    public static final long MAX_REQUEST_BYTES = 50L * 1024 * 1024 + 64 * 1024;

    private final Settings settings;
    private final List<Readiness> readiness;
    private final PrometheusMeterRegistry registry;
    private final List<RouteGroup> groups;
    private final ObjectMapper json;
    private Javalin app;

    /** Where and how the server listens, and what one kind of client may hold of it. */
    public record Settings(String host, int port, Duration shutdownGrace, HttpLimits limits) {
        public Settings {
            Objects.requireNonNull(host, "host == null");
            Objects.requireNonNull(shutdownGrace, "shutdownGrace == null");
            Objects.requireNonNull(limits, "limits == null");
        }

        public Settings(String host, int port, Duration shutdownGrace) {
            this(host, port, shutdownGrace, HttpLimits.DEFAULTS);
        }
    }

    public WebServer(Settings settings, List<Readiness> readiness,
            PrometheusMeterRegistry registry, List<RouteGroup> groups, ObjectMapper json) {
        this.settings = Objects.requireNonNull(settings, "settings == null");
        this.readiness = List.copyOf(readiness);
        this.registry = Objects.requireNonNull(registry, "registry == null");
        this.groups = List.copyOf(groups);
        this.json = Objects.requireNonNull(json, "json == null");
    }

    /**
     * [perf] Javalin's configuration model and Jetty's server, built and dropped (nothing
     * listens), so their classes are loaded and initialised before {@link #start()} needs them:
     * {@code Prewarm} runs this on the other core during start-up (issue 19).
     */
    public static Object loadClasses() {
        Javalin.create(config -> config.startup.showJavalinBanner = false);
        return new org.eclipse.jetty.server.Server(new QueuedThreadPool(1, 1));
    }

    /** Starts listening and returns the bound port (useful with port 0 in tests). */
    public synchronized int start() {
        app = Javalin.create(this::configure);
        app.start(settings.host(), settings.port());
        ThreadPool pool = app.jettyServer().threadPool();
        new JettyServerThreadPoolMetrics(pool, List.of()).bindTo(registry);
        return app.port();
    }

    /** The bound port, once started. */
    public synchronized int port() {
        if (app == null) {
            throw new IllegalStateException("the web server is not started");
        }
        return app.port();
    }

    /**
     * Stops accepting connections, lets in-flight requests finish within the grace period. When
     * the grace runs out, Jetty stops the rest anyway and reports the timeout: that is logged,
     * not thrown, since the server is stopped either way (a test teardown on a loaded machine
     * saw an idle connection hold the graceful part past 5 s).
     */
    public synchronized void stop() {
        if (app == null) {
            return;
        }
        try {
            app.stop();
        } catch (RuntimeException e) {
            if (!gracePassed(e)) {
                throw e;
            }
            log.warn("the web server stopped after its {} s grace ran out before every connection"
                    + " closed", settings.shutdownGrace().toSeconds());
        } finally {
            app = null;
        }
    }

    private static boolean gracePassed(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.util.concurrent.TimeoutException) {
                return true;
            }
        }
        return false;
    }

    private void configure(JavalinConfig cfg) {
        cfg.startup.showJavalinBanner = false;
        cfg.startup.showOldJavalinVersionWarning = false;
        cfg.http.maxRequestSize = MAX_REQUEST_BYTES;
        // Javalin copies each response through a buffer of this size, allocated per response
        // (32 KB by default, Jetty's output buffer): answers here are mostly a few hundred bytes,
        // a larger one (a dashboard page, a metrics scrape) is copied in more steps into Jetty's
        // own pooled buffer. At 8 KB it was about a seventh of what an intake allocated (issue 19).
        cfg.http.responseBufferSize = 2048;
        // a known path asked with another method is 405 (with Allow), not "no such resource"
        cfg.http.prefer405over404 = true;
        cfg.jsonMapper(new JavalinJackson(json, false));
        cfg.jetty.modifyServer(this::enableGracefulStop);
        bound(cfg);
        cfg.requestLogger.http(this::recordRequest);
        addOperationalRoutes(cfg.routes);
        for (RouteGroup group : groups) {
            group.addTo(cfg.routes);
        }
        addErrorMapping(cfg.routes);
    }

    /**
     * A body must keep arriving: a blocking read waits at most {@code blockingTimeout} for bytes,
     * and a body slower than {@code minRequestBytesPerSecond} on average once the server waits
     * for it is cut off (408, {@link MinimumReadRate}), so a slow sender frees its thread in
     * seconds; bodies received at once are bounded ({@link ConcurrentBodies}), so a flood of
     * bodies that never arrive leaves threads to the probes. The thread pool is sized here so
     * webhook intake's
     * own limit ({@link GitHubWebhookRoutes}) always leaves threads to the other routes. Jetty's
     * own error answers are JSON.
     */
    private void bound(JavalinConfig cfg) {
        HttpLimits limits = settings.limits();
        QueuedThreadPool pool = new QueuedThreadPool(limits.maxThreads(), 8, 60_000);
        pool.setName("JettyServerThreadPool");
        cfg.jetty.threadPool = pool;
        cfg.jetty.modifyHttpConfiguration(http -> {
            http.setIdleTimeout(limits.blockingTimeout().toMillis());
            http.setMinRequestDataRate(0); // MinimumReadRate instead: see there why
        });
        cfg.jetty.modifyServer(server -> server.insertHandler(
                new MinimumReadRate(limits.minRequestBytesPerSecond())));
        cfg.jetty.modifyServer(server -> server.insertHandler(
                new ConcurrentBodies(limits.bodyReaders())));
        cfg.jetty.modifyServer(server -> server.setErrorHandler(JsonErrors.forServer()));
        cfg.jetty.modifyServletContextHandler(context ->
                context.setErrorHandler(JsonErrors.forContext()));
    }

    private void enableGracefulStop(Server server) {
        // GracefulHandler makes Jetty refuse new requests at stop() but wait for running ones.
        server.setStopTimeout(settings.shutdownGrace().toMillis());
        server.insertHandler(new GracefulHandler());
    }

    private void addOperationalRoutes(RoutesConfig routes) {
        routes.get("/healthz", ctx -> ctx.json(Map.of("status", "ok")));
        routes.get("/readyz", this::readiness);
        routes.get("/metrics", ctx -> ctx
                .contentType("text/plain; version=0.0.4; charset=utf-8")
                .result(registry.scrape()));
    }

    private void readiness(Context ctx) {
        boolean ready = true;
        Map<String, Object> checks = new LinkedHashMap<>();
        for (Readiness r : readiness) {
            Readiness.Check c = safeCheck(r);
            ready &= c.ready();
            Map<String, Object> check = new LinkedHashMap<>();
            check.put("ready", c.ready());
            check.put("detail", c.detail());
            checks.put(c.name(), check);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", ready ? "ready" : "not ready");
        body.put("checks", checks);
        ctx.status(ready ? 200 : 503).json(body);
    }

    private static Readiness.Check safeCheck(Readiness r) {
        try {
            return r.check();
        } catch (RuntimeException e) {
            return Readiness.Check.failing(r.getClass().getSimpleName(),
                    "check failed: " + e.getClass().getSimpleName());
        }
    }

    private void addErrorMapping(RoutesConfig routes) {
        routes.exception(ApiException.class, (e, ctx) -> error(ctx, e.status(), e.getMessage()));
        // Javalin signals an unmatched path with NotFoundResponse; our routes use ApiException.
        routes.exception(io.javalin.http.NotFoundResponse.class, (e, ctx) -> error(ctx, 404,
                "no such resource: " + ctx.method() + " " + ctx.path()));
        // Jetty's verdict on the request itself while a route reads it: a body slower than the
        // minimum data rate (408), a broken chunk (400); the caller's fault, never a 500
        routes.exception(org.eclipse.jetty.http.BadMessageException.class, (e, ctx) -> {
            if (TruncatedBody.causedBy(e)) {
                truncated(ctx);
                return;
            }
            ctx.header("Connection", "close");
            error(ctx, e.getCode(), e.getCode() == 408
                    ? "the request body arrived too slowly" : "bad request: malformed body");
        });
        routes.exception(HttpResponseException.class,
                (e, ctx) -> error(ctx, e.getStatus(), e.getMessage()));
        // the store failed (after its own bounded retries): nothing was accepted, and the
        // caller may retry; a webhook answered 503 shows as failed in GitHub and can be
        // redelivered, so an event the inbox could not take is never acknowledged
        routes.exception(StoreException.class, (e, ctx) -> {
            log.error("store unavailable on {} {}: {}", ctx.method(), ctx.path(), e.getMessage());
            ctx.header("Retry-After", "5");
            error(ctx, 503, "storage unavailable; the request was not accepted, retry later");
        });
        routes.exception(Exception.class, (e, ctx) -> {
            // a short body, however the read wrapped Jetty's EOF (form parsing, a JSON parser,
            // a route's own IOException handling): the client's mistake, not ours
            if (TruncatedBody.causedBy(e)) {
                truncated(ctx);
                return;
            }
            log.error("unexpected error on {} {}", ctx.method(), ctx.path(), e);
            error(ctx, 500, "internal error; the request was not applied");
        });
        routes.error(404, "*", ctx -> {
            // a route's own 404 (ApiException.notFound) already wrote its answer: keep it
            if (ctx.attribute(ANSWERED) == null) {
                error(ctx, 404, "no such resource: " + ctx.method() + " " + ctx.path());
            }
        });
        // an Error (OutOfMemoryError) escapes the exception mapping above: Javalin answers an
        // empty 500, which this turns into the same JSON
        routes.error(500, "*", ctx -> {
            if (ctx.attribute(ANSWERED) == null) {
                error(ctx, 500, "internal error; the request was not applied");
            }
        });
        routes.error(405, "*", ctx -> error(ctx, 405,
                "method not allowed: " + ctx.method() + " " + ctx.path()));
        routes.error(413, "*", ctx -> {
            // a route's own 413 (a limit smaller than the server's) already wrote its answer
            if (ctx.attribute(ANSWERED) == null) {
                error(ctx, 413, "request body too large");
            }
        });
    }

    /**
     * The client ended its body early, however the route's read wrapped that: a 400 and one
     * line without a stack trace (anyone can send such a body, as often as they like), and the
     * connection closed, since where the next request would start is unknown.
     */
    private static void truncated(Context ctx) {
        // debug, as other client mistakes: anyone can send these as often as they like
        log.debug("{} {}: the client ended the request body early (Content-Length {})",
                ctx.method(), ctx.path(), ctx.contentLength());
        ctx.header("Connection", "close");
        error(ctx, 400, TruncatedBody.message(ctx));
    }

    private static void error(Context ctx, int status, String message) {
        ctx.attribute(ANSWERED, Boolean.TRUE);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", message == null ? "error"
                : io.tidegate.logging.SecretRedactor.redact(message));
        body.put("status", status);
        ctx.status(status).json(body);
    }

    private void recordRequest(Context ctx, Float millis) {
        // The matched route template, never the raw path: raw paths would explode cardinality.
        io.javalin.router.Endpoint matched = ctx.endpoints().lastHttpEndpoint();
        String route = matched == null ? "unmatched" : matched.path;
        Timer.builder("http.server.requests")
                .description("HTTP requests served by Tidegate")
                .tags(List.of(
                        Tag.of("method", ctx.method().name()),
                        Tag.of("route", route),
                        Tag.of("status",
                                String.valueOf(ctx.status().getCode()))))
                .register(registry)
                .record(Duration.ofNanos((long) (millis * 1_000_000)));
    }
}
