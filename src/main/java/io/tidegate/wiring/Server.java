package io.tidegate.wiring;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import okhttp3.OkHttpClient;
import io.tidegate.http.AtlantisRoutes;
import io.tidegate.http.DeploymentRoutes;
import io.tidegate.http.EnvironmentRoutes;
import io.tidegate.http.HttpLimits;
import io.tidegate.http.ReadAccess;
import io.tidegate.health.Readiness;
import io.tidegate.http.RouteGroup;
import io.tidegate.http.ScheduleRoutes;
import io.tidegate.http.WebServer;
import io.tidegate.lifecycle.Lifecycle;
import io.tidegate.lifecycle.Service;
import io.tidegate.logging.SecretRedactor;
import io.tidegate.notify.DeploymentMetrics;
import io.tidegate.notify.NotificationPublisher;
import io.tidegate.review.ApplyOutcomes;
import io.tidegate.review.AuditEvents;
import io.tidegate.review.DecisionRecorder;
import io.tidegate.review.Deployments;
import io.tidegate.review.EnvironmentControl;
import io.tidegate.review.EnvironmentReviews;
import io.tidegate.review.Gate;
import io.tidegate.review.PlanIntake;
import io.tidegate.review.PolicySource;
import io.tidegate.review.PolicyHolder;
import io.tidegate.review.PolicyVersions;
import io.tidegate.review.ReviewParts;
import io.tidegate.review.ReviewScheduler;
import io.tidegate.review.UnreportedApplies;
import io.tidegate.store.DynamoDbStore;
import io.tidegate.store.EffectPerformer;
import io.tidegate.store.InboxWorker;
import io.tidegate.store.OutboxDispatcher;
import io.tidegate.store.SqliteStore;
import io.tidegate.store.StoreMetrics;
import io.tidegate.store.Store;
import io.tidegate.review.PullRequestUrls;
import io.tidegate.web.Dashboard;
import io.tidegate.web.DashboardAccess;
import io.tidegate.web.DashboardRoutes;
import io.tidegate.web.Links;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where the server's parts are built and wired with plain constructors
 * ({@link #start(Config)}); {@code tidegate serve} calls it.
 */
public final class Server {
    private static final Logger log = LoggerFactory.getLogger(Server.class);

    private Server() {}

    /** A started server; closing it stops every part, in the reverse order of their start. */
    public static final class Running implements AutoCloseable {
        private final Lifecycle lifecycle;
        private final int port;
        private final NotifyWiring notify;
        private final UnreportedApplies unreported;
        private final ReviewScheduler scheduler;

        Running(Lifecycle lifecycle, int port, NotifyWiring notify, UnreportedApplies unreported,
                ReviewScheduler scheduler) {
            this.lifecycle = lifecycle;
            this.port = port;
            this.notify = notify;
            this.unreported = unreported;
            this.scheduler = scheduler;
        }

        /**
         * Tells the review scheduler to look now. A real clock's timer fires by itself; a test
         * clock moved by hand has no timer to fire, so tests call this after moving it.
         */
        public void clockMoved() {
            scheduler.wake();
        }

        public int port() {
            return port;
        }

        /** The running server's notification publisher (queues into its outbox). */
        public NotificationPublisher notifications() {
            return notify.publisher();
        }

        /** Runs the sweep of applies whose result never came now; how many it ended. */
        public int sweepUnreportedApplies() {
            return unreported.sweep();
        }

        /** The running server's deployment metrics (queues CloudWatch effects). */
        public DeploymentMetrics deploymentMetrics() {
            return notify.deploymentMetrics();
        }

        /** The web server first (no new request), then the workers, the store last. */
        @Override
        public void close() {
            lifecycle.close();
            log.info("tidegate stopped");
        }
    }

    /** Opens the configured store: the SQLite file in the data dir, or the DynamoDB tables. */
    public static Store openStore(Config.Storage storage) {
        if (storage.kind() == Config.StoreKind.DYNAMODB) {
            return DynamoDbStore.open(DynamoDbStore.clientBuilder(storage.awsRegion(),
                    storage.dynamoDbEndpoint()).build(), storage.tablePrefix(),
                    storage.createTables());
        }
        return SqliteStore.openIn(storage.dataDir());
    }

    /**
     * The configured store, proven to take a write. A data directory that is a file, read-only,
     * full or holding a damaged database is a {@link DataDirException} naming
     * {@code TIDEGATE_DATA_DIR} (exit 2), not a stack trace, and the server does not start; a
     * DynamoDB store that cannot be reached or used, a {@link StoreUnavailableException}.
     */
    private static Store openUsableStore(Config.Storage storage, Clock clock) {
        if (storage.kind() != Config.StoreKind.SQLITE) {
            try {
                return openStore(storage);
            } catch (io.tidegate.store.StoreException
                    | software.amazon.awssdk.core.exception.SdkException e) {
                throw StoreUnavailableException.dynamoDb(storage, e);
            }
        }
        Store store;
        try {
            Files.createDirectories(storage.dataDir());
            store = openStore(storage);
        } catch (IOException | RuntimeException e) {
            throw DataDirException.naming(storage.dataDir(), describe(e));
        }
        Readiness.Check write = new StoreReadiness(store, clock).check();
        if (!write.ready()) {
            store.close();
            throw DataDirException.naming(storage.dataDir(), write.detail());
        }
        return store;
    }

    private static String describe(Exception e) {
        if (e instanceof java.nio.file.FileAlreadyExistsException) {
            return "it exists and is not a directory";
        }
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }

    /** Builds every part of the server from the configuration and starts listening. */
    public static Running start(Config config) throws IOException {
        return start(config, Clock.systemUTC());
    }

    /** {@link #start(Config)} with the given clock (tests move time by hand). */
    public static Running start(Config config, Clock clock) throws IOException {
        return start(config, clock, HttpLimits.DEFAULTS);
    }

    /** {@link #start(Config, Clock)} with other HTTP limits (tests use fewer threads). */
    public static Running start(Config config, Clock clock, HttpLimits limits)
            throws IOException {
        Objects.requireNonNull(config, "config == null");
        Objects.requireNonNull(clock, "clock == null");
        config.secretValues().forEach(SecretRedactor::register);
        announceModes(config);
        // one shutdown path: a start failing half-way stops what started, as close() does
        Lifecycle lifecycle = new Lifecycle();
        try {
            Core core = core(config, clock, lifecycle);
            // [notify] Slack, e-mail and CloudWatch through the outbox; routing from the policy
            NotifyWiring notify = NotifyWiring.build(config, core.store().outbox(),
                    () -> core.policies().current().notifications(), core.http(),
                    core.registry(), clock);
            lifecycle.start(Service.closing("AWS clients", notify.resources()));
            GitHubWiring gh = GitHubWiring.build(config, core.store(), core.policies(),
                    core.http(), core.registry(), core.json(), clock, notify.publisher(),
                    limits.webhookBodies());
            lifecycle.start(Service.closing("GitHub API", gh.closeables()));
            ReviewParts atlantis = atlantisParts(core, gh, notify);
            UnreportedApplies unreported = new UnreportedApplies(atlantis);
            startWorkers(core, gh, notify, unreported);
            WebServer web = new WebServer(new WebServer.Settings(config.server().bindAddress(),
                    config.server().port(), config.server().shutdownGrace(), limits),
                    readiness(core), core.registry(), routes(core, gh, notify, atlantis),
                    core.json());
            // last: requests are taken once everything behind them runs, and stop first
            listen(lifecycle, web, config.server());
            opened(core.firstRead()); // a failure to record the first reading stops the start
            bindJvmMetrics(core.registry());
            announceListening(config, web.port());
            return new Running(lifecycle, web.port(), notify, unreported, gh.scheduler());
        } catch (IOException | RuntimeException e) {
            lifecycle.close();
            throw e;
        }
    }

    /** Starts the web server; a socket that cannot bind is a {@link ListenException} (exit 2). */
    private static void listen(Lifecycle lifecycle, WebServer web, Config.Server where) {
        try {
            lifecycle.start(Service.of("web server", web::start, web::stop));
        } catch (RuntimeException e) {
            throw ListenException.of(e, where.bindAddress(), where.port()).orElseThrow(() -> e);
        }
    }

    /** What every part of the server shares; the lifecycle stops what the parts start. */
    private record Core(Config config, Clock clock, Lifecycle lifecycle, ObjectMapper json,
            OkHttpClient http, PrometheusMeterRegistry registry, Store store,
            PolicyHolder policies, AuditEvents auditEvents, CompletableFuture<Void> firstRead) {}

    /**
     * The store (stopped last: every part may write to it to the end), the one OkHttp client
     * (closed after all its users), the SQLite purge, the metrics and the policy.
     *
     * <p>[perf] The store opens on a thread of its own (SQLite's library, the schema, the test
     * write), the policy is read on another ({@link PolicyHolder#readLater}: its first parse is
     * a third of a second of class loading and linking) and {@link Prewarm} builds the HTTP
     * client, while this thread builds the rest; the first reading waits for the store only to
     * record the version it read, and the start waits for that record once the web server is up
     * (issue 19).
     */
    private static Core core(Config config, Clock clock, Lifecycle lifecycle) {
        CompletableFuture<Store> opening = CompletableFuture.supplyAsync(
                () -> openUsableStore(config.storage(), clock),
                work -> onOwnThread("tidegate-store-open", work));
        CompletableFuture<AuditEvents> audit = opening.thenApply(
                s -> new AuditEvents(s.audit(), s.policyVersions()));
        OkHttpClient http;
        PrometheusMeterRegistry registry;
        PolicyHolder policies;
        CompletableFuture<Void> firstRead;
        Store store;
        try {
            registry = meterRegistry();
            // a bad policy file does not stop the start: /readyz names the problem, decisions
            // deny. [replay] every version loaded is kept and every reload audited, the first too
            policies = PolicyHolder.readLater(config.policyPath(), clock, registry,
                    PolicyHolder.DEFAULT_CHECK_EVERY,
                    reload -> opened(audit).policyReloaded(reload));
            firstRead = CompletableFuture.runAsync(policies::reload,
                    work -> onOwnThread("tidegate-policy-read", work));
            http = Prewarm.httpClient(); // built on the other core meanwhile, when it could be
            store = opened(opening);
        } catch (RuntimeException e) {
            opening.thenAccept(Store::close); // a store that opens after all is closed again
            throw e;
        }
        lifecycle.start(Service.closing("store", List.of(store)));
        lifecycle.start(Service.of("HTTP client", () -> {}, () -> {
            http.dispatcher().executorService().shutdown();
            http.connectionPool().evictAll();
        }));
        if (config.storage().kind() == Config.StoreKind.SQLITE) {
            // DynamoDB deletes by TTL; SQLite needs someone to sweep
            lifecycle.start(StorePurge.job(store, clock, Duration.ofHours(1)));
        }
        // outbox/inbox depth gauges; each count cached 5 s, so a scrape never scans the store
        new StoreMetrics(store, clock, Duration.ofSeconds(5)).bindTo(registry);
        return new Core(config, clock, lifecycle, Json.mapper(), http, registry, store, policies,
                opened(audit), firstRead);
    }

    /** What a start-up future gave, or the exception it failed with as it was thrown. */
    private static <T> T opened(CompletableFuture<T> future) {
        try {
            return future.join();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw e;
        }
    }

    private static void onOwnThread(String name, Runnable work) {
        Thread t = new Thread(work, name);
        t.setDaemon(true);
        t.start();
    }

    /** The gate, plan reports and apply results share these (atlantis helper). */
    private static ReviewParts atlantisParts(Core core, GitHubWiring gh, NotifyWiring notify) {
        Store store = core.store();
        PolicyHolder policies = core.policies();
        return new ReviewParts(gh.snapshots(), policies,
                new DecisionRecorder(store.audit(), core.registry(),
                        // the version that decided is kept before its audit row is written;
                        // with repos: the row also names the file that decides for the repo
                        new PolicyVersions(store.policyVersions(), policies::files, core.clock()),
                        policies::decidingFile),
                new Deployments(store.locks(), store.deployments()), gh.reviewRequests(),
                notify.publisher(), core.registry(), core.clock());
    }

    /**
     * The background work, each part started after what it uses and so stopped before it: the
     * outbox dispatcher, the inbox worker (its effects go out through the outbox), the review
     * scheduler (stops queueing before the inbox stops) and the apply-result sweep.
     */
    private static void startWorkers(Core core, GitHubWiring gh, NotifyWiring notify,
            UnreportedApplies unreported) {
        Config config = core.config();
        Lifecycle lifecycle = core.lifecycle();
        resumeOwnLeases(config, core.store(), core.clock());
        Map<String, EffectPerformer> performers = new HashMap<>(notify.performers());
        performers.putAll(gh.performers());
        OutboxDispatcher dispatcher = new OutboxDispatcher(core.store().outbox(), performers,
                core.clock(), OutboxDispatcher.Settings.defaults(workerId("outbox", config)),
                Math::random);
        lifecycle.start(Service.of("outbox dispatcher", dispatcher::start, dispatcher::close));
        dispatcher.bindTo(core.registry()); // [notify] tidegate.outbox.retries/failures{kind}
        InboxWorker inbox = new InboxWorker(core.store().inbox(), gh.handler(), core.clock(),
                InboxWorker.Settings.defaults(workerId("inbox", config)));
        lifecycle.start(Service.of("inbox worker", inbox::start, inbox::close));
        inbox.bindTo(core.registry()); // tidegate.inbox.retries/failures{kind}
        ReviewScheduler scheduler = gh.scheduler(); // [live] time edges fire re-reviews
        lifecycle.start(Service.of("review scheduler", scheduler::start, scheduler::close));
        // deployments whose apply result never came end as unknown (both stores)
        lifecycle.start(ApplyResultSweep.job(unreported, ApplyResultSweep.EVERY));
    }

    /** Every route group of the web server, in the order they are added. */
    private static List<RouteGroup> routes(Core core, GitHubWiring gh, NotifyWiring notify,
            ReviewParts atlantis) {
        Config config = core.config();
        Store store = core.store();
        List<RouteGroup> routes = new ArrayList<>();
        routes.add(new DeploymentRoutes(store.deployments(), store.auditLog(),
                readAccess(config), core.clock()));
        routes.add(gh.webhooks());
        // [live] GET /api/v1/schedule: the next time edge of every open reviewed PR
        routes.add(new ScheduleRoutes(store.schedule(), readAccess(config)));
        routes.add(new AtlantisRoutes(config.server().apiToken(), config.applyResultToken(),
                new Gate(atlantis, config.gateGitHubBudget()),
                new PlanIntake(atlantis, store.costReports()),
                new ApplyOutcomes(atlantis, notify.deploymentMetrics(), store.costReports(),
                        core.auditEvents())));
        routes.add(dashboard(config, store, core.policies(), core.clock(), core.json())); // [web]
        // [freeze] freeze, unfreeze and unlock through the API (token = the operator)
        routes.add(new EnvironmentRoutes(config.server().apiToken()::matches,
                new EnvironmentControl(store, core.policies(), notify.publisher(),
                        new EnvironmentReviews(gh.reviewRequests()), core.clock())));
        return routes;
    }

    private static ReadAccess readAccess(Config config) {
        return new ReadAccess(config.server().apiToken()::matches, config.server().publicRead());
    }

    /** /readyz: the policy file, a write to the store, GitHub credentials. */
    private static List<Readiness> readiness(Core core) {
        return List.of(core.policies(), new StoreReadiness(core.store(), core.clock()),
                gitHubReadiness(core.config()));
    }

    private static void announceListening(Config config, int port) {
        String host = config.server().bindAddress();
        // an IPv6 address in brackets, as in a URL: "[::]:4142", not ":::4142"
        log.info("tidegate listening on {}:{} (store: {}, policy: {})",
                host.contains(":") ? "[" + host + "]" : host, port,
                config.storage().kind().name().toLowerCase(java.util.Locale.ROOT),
                config.policyPath());
    }

    /** Honest readiness: without credentials no pull request can be read or decided. */
    private static Readiness gitHubReadiness(Config config) {
        Readiness.Check check = config.hasGitHubCredentials()
                ? Readiness.Check.ready("github", config.dryRun() ? "credentials set; dry run:"
                        + " comments and statuses are logged, not written" : "credentials set")
                : Readiness.Check.failing("github", "no GitHub credentials (GITHUB_TOKEN or "
                        + "GITHUB_APP_ID): dry run, no pull request can be read, every gate "
                        + "call is denied");
        return () -> check;
    }

    /** [web] The dashboard's pages, their JSON twins and the login form. */
    private static RouteGroup dashboard(Config config, Store store, PolicySource policies,
            Clock clock, ObjectMapper json) {
        io.tidegate.secret.Secret api = config.server().apiToken();
        io.tidegate.secret.Secret dash = config.dashboardToken();
        DashboardAccess access = new DashboardAccess(List.of(api::matches, dash::matches),
                config.server().publicRead(), List.of(api.value(), dash.value()));
        Links links = new Links(PullRequestUrls.forApi(config.github().apiUrl()).webBase());
        return new DashboardRoutes(new Dashboard(store, policies, links, clock), access, json);
    }

    /** The lease owner: stable with {@code TIDEGATE_REPLICA_ID}, else random per start. */
    private static String workerId(String role, Config config) {
        return role + "-" + config.replicaId()
                .orElseGet(() -> java.util.UUID.randomUUID().toString().substring(0, 8));
    }

    /**
     * [replica] A restarted replica takes back the leases its previous process died holding:
     * its events and effects run now, not when the lease runs out (only a stable id can).
     */
    private static void resumeOwnLeases(Config config, Store store, Clock clock) {
        if (config.replicaId().isEmpty()) {
            return;
        }
        java.time.Instant now = clock.instant();
        int inbox = store.inbox().releaseHeldBy(workerId("inbox", config), now);
        int outbox = store.outbox().releaseHeldBy(workerId("outbox", config), now);
        if (inbox + outbox > 0) {
            log.info("replica {} resumes {} inbox events and {} outbox effects it held",
                    config.replicaId().get(), inbox, outbox);
        }
    }

    private static void announceModes(Config config) {
        if (!config.hasGitHubCredentials()) {
            log.warn("no GitHub credentials (GITHUB_TOKEN or GITHUB_APP_ID): running in dry-run, "
                    + "comments and statuses are logged instead of written");
        } else if (config.dryRun()) {
            log.warn("TIDEGATE_DRY_RUN=true: comments and statuses are logged, not written");
        }
        if (!config.github().webhookSecret().isPresent()) {
            log.warn("GITHUB_WEBHOOK_SECRET is not set: GitHub webhooks will be refused (401)");
        }
        if (!config.server().apiToken().isPresent()) {
            log.warn("TIDEGATE_API_TOKEN is not set: the Atlantis API will refuse every call (401)"
                    + ", so every gated apply is denied");
        }
    }

    private static PrometheusMeterRegistry meterRegistry() {
        // [perf] built on the other core during the start, when it could be
        return Prewarm.meterRegistry();
    }

    /**
     * [perf] The JVM binders read JMX beans (some 0.2 s of CPU): bound on their own thread once
     * the server listens, so /metrics has them a moment after the server is up. Bound during
     * the start, they took one of the two cores from it (issue 19).
     */
    private static void bindJvmMetrics(PrometheusMeterRegistry registry) {
        Thread jvm = new Thread(() -> {
            new ClassLoaderMetrics().bindTo(registry);
            new JvmMemoryMetrics().bindTo(registry);
            new JvmGcMetrics().bindTo(registry);
            new JvmThreadMetrics().bindTo(registry);
            new ProcessorMetrics().bindTo(registry);
            new UptimeMetrics().bindTo(registry);
        }, "tidegate-jvm-metrics");
        jvm.setDaemon(true);
        jvm.start();
    }
}
