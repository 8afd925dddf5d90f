package io.tidegate;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import okhttp3.OkHttpClient;
import io.tidegate.cli.AuditCommand;
import io.tidegate.cli.ReplayCommand;
import io.tidegate.cli.ReportCommand;
import io.tidegate.cli.WhatIfCommand;
import io.tidegate.cli.ServeCommand;
import io.tidegate.cli.SimulateCommand;
import io.tidegate.cli.TestCommand;
import io.tidegate.cli.ValidateCommand;
import io.tidegate.cli.VersionCommand;
import io.tidegate.cli.WarmUpCommand;
import io.tidegate.cli.WindowsCommand;
import io.tidegate.http.AtlantisRoutes;
import io.tidegate.http.DeploymentRoutes;
import io.tidegate.http.HttpLimits;
import io.tidegate.http.ReadAccess;
import io.tidegate.http.Readiness;
import io.tidegate.http.RouteGroup;
import io.tidegate.http.ScheduleRoutes;
import io.tidegate.http.WebServer;
import io.tidegate.logging.SecretRedactor;
import io.tidegate.notify.DeploymentMetrics;
import io.tidegate.notify.NotificationPublisher;
import io.tidegate.review.ApplyOutcomes;
import io.tidegate.review.AuditEvents;
import io.tidegate.review.DecisionRecorder;
import io.tidegate.review.Deployments;
import io.tidegate.review.Gate;
import io.tidegate.review.PlanIntake;
import io.tidegate.notify.NotifyWiring;
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
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code tidegate} program, and the one place where the server's parts are built and wired
 * with plain constructors ({@link #start(Config)}).
 */
@Command(
        name = "tidegate",
        mixinStandardHelpOptions = true,
        versionProvider = VersionCommand.Provider.class,
        description = "Policy gate for Atlantis: who may plan and apply what, when, at what cost.",
        subcommands = {ServeCommand.class, VersionCommand.class, ValidateCommand.class,
                TestCommand.class, SimulateCommand.class, WindowsCommand.class,
                ReportCommand.class, ReplayCommand.class, WhatIfCommand.class,
                AuditCommand.class, WarmUpCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(Main.class);

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns its exit code: 0 ok, 1 a negative answer, 2 bad input. */
    public static int run(String... args) {
        return commandLine(new PrintWriter(System.out, true), new PrintWriter(System.err, true))
                .execute(args);
    }

    public static CommandLine commandLine(PrintWriter out, PrintWriter err) {
        CommandLine cli = new CommandLine(new Main());
        cli.setOut(out);
        cli.setErr(err);
        cli.setParameterExceptionHandler(Main::usageError);
        // every subcommand answers --help (and --version) the same way
        for (CommandLine sub : cli.getSubcommands().values()) {
            sub.getCommandSpec().mixinStandardHelpOptions(true);
        }
        return cli;
    }

    /** A one-line error naming the offending option or value, then the usage; exit 2. */
    private static int usageError(CommandLine.ParameterException e, String[] args) {
        CommandLine cmd = e.getCommandLine();
        PrintWriter err = cmd.getErr();
        err.println("error: " + e.getMessage());
        cmd.usage(err);
        return 2;
    }

    @Override
    public void run() {
        // "tidegate" alone: show what it can do.
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** A started server; closing it shuts everything down in order. */
    public static final class Running implements AutoCloseable {
        private final WebServer web;
        private final List<AutoCloseable> resources;
        private final int port;
        private final NotifyWiring notify;
        private final UnreportedApplies unreported;
        private final ReviewScheduler scheduler;

        Running(WebServer web, List<AutoCloseable> resources, int port, NotifyWiring notify,
                UnreportedApplies unreported, ReviewScheduler scheduler) {
            this.web = web;
            this.resources = resources;
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

        @Override
        public void close() {
            try {
                web.stop();
            } catch (RuntimeException e) {
                // a slow graceful stop must not leave the workers and the store open
                log.warn("the web server did not stop cleanly: {}", e.toString());
            } finally {
                closeAll(resources);
            }
            log.info("tidegate stopped");
        }
    }

    private static void closeAll(List<AutoCloseable> resources) {
        for (AutoCloseable r : resources) {
            try {
                r.close();
            } catch (Exception e) {
                log.warn("closing {} failed: {}", r.getClass().getSimpleName(), e.toString());
            }
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
     * {@code TIDEGATE_DATA_DIR} (exit 2), not a stack trace, and the server does not start.
     */
    private static Store openUsableStore(Config.Storage storage, Clock clock) {
        if (storage.kind() != Config.StoreKind.SQLITE) {
            return openStore(storage);
        }
        Store store;
        try {
            Files.createDirectories(storage.dataDir());
            store = openStore(storage);
        } catch (IOException | RuntimeException e) {
            throw new DataDirException(storage.dataDir(), describe(e));
        }
        Readiness.Check write = new StoreReadiness(store, clock).check();
        if (!write.ready()) {
            store.close();
            throw new DataDirException(storage.dataDir(), write.detail());
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

        ObjectMapper json = Json.mapper();
        OkHttpClient http = new OkHttpClient();
        PrometheusMeterRegistry registry = meterRegistry();
        // resources close in list order after the web server stops; the store goes last
        List<AutoCloseable> resources = new ArrayList<>();
        Store store = openUsableStore(config.storage(), clock);
        if (config.storage().kind() == Config.StoreKind.SQLITE) {
            // DynamoDB deletes by TTL; SQLite needs someone to sweep
            resources.add(StorePurge.start(store, clock, Duration.ofHours(1)));
        }
        // outbox/inbox depth gauges; each count cached 5 s, so a scrape never scans the store
        new StoreMetrics(store, clock, Duration.ofSeconds(5)).bindTo(registry);
        // a bad policy file does not stop the start: /readyz names the problem, decisions deny
        // [replay] every version loaded is kept and every reload audited, from the first load on
        AuditEvents auditEvents = new AuditEvents(store.audit(), store.policyVersions());
        PolicyHolder policies = new PolicyHolder(config.policyPath(), clock, registry,
                PolicyHolder.DEFAULT_CHECK_EVERY, auditEvents::policyReloaded);
        List<Readiness> readiness = List.of(policies, new StoreReadiness(store, clock),
                gitHubReadiness(config));
        List<RouteGroup> routes = new ArrayList<>();
        routes.add(new DeploymentRoutes(store.deployments(), store.audit(), store.auditLog(),
                new ReadAccess(config.server().apiToken()::matches,
                        config.server().publicRead()), clock));

        // --- GitHub: webhooks, PR review, comment commands, effects (github helper) ---
        Map<String, EffectPerformer> performers = new HashMap<>();
        // [notify] Slack, e-mail and CloudWatch through the outbox; routing from the current policy
        NotifyWiring notify = NotifyWiring.build(config, store.outbox(),
                () -> policies.current().notifications(), http, registry, clock);
        performers.putAll(notify.performers());
        GitHubWiring gh;
        try {
            gh = GitHubWiring.build(config, store, policies, http, registry, json, clock,
                    notify.publisher(), limits.webhookBodies());
        } catch (IOException | RuntimeException e) {
            closeAll(notify.resources());
            closeAll(resources);
            store.close();
            throw e;
        }
        performers.putAll(gh.performers());
        routes.add(gh.webhooks());
        resources.addAll(gh.closeables());
        // [live] GET /api/v1/schedule: the next time edge of every open reviewed PR
        routes.add(new ScheduleRoutes(store.schedule(), new ReadAccess(
                config.server().apiToken()::matches, config.server().publicRead())));
        OutboxDispatcher dispatcher = new OutboxDispatcher(store.outbox(), performers, clock,
                OutboxDispatcher.Settings.defaults(workerId("outbox", config)), Math::random);
        dispatcher.bindTo(registry); // [notify] tidegate.outbox.retries/failures{kind}
        InboxWorker inboxWorker = new InboxWorker(store.inbox(), gh.handler(), clock,
                InboxWorker.Settings.defaults(workerId("inbox", config)));
        inboxWorker.bindTo(registry); // tidegate.inbox.retries/failures{kind}
        // stopped before the store closes: both write to it to the end
        resources.add(0, dispatcher);
        resources.add(0, inboxWorker);
        resources.add(0, gh.scheduler()); // [live] stops queueing before the inbox stops
        resources.addAll(notify.resources()); // [notify] AWS clients, after the dispatcher stops
        // --- end GitHub ---

        // --- Atlantis: the gate, plan reports and apply results (atlantis helper) ---
        NotificationPublisher publisher = notify.publisher();
        DeploymentMetrics deploymentMetrics = notify.deploymentMetrics();
        ReviewParts atlantis = new ReviewParts(gh.snapshots(), policies,
                new DecisionRecorder(store.audit(), registry,
                        // the version that decided is kept before its audit row is written;
                        // with repos: the row also names the file that decides for the repo
                        new PolicyVersions(store.policyVersions(), policies::files, clock),
                        repo -> policies.current().repoPolicyFor(repo).map(r -> r.file())),
                new Deployments(store.locks(), store.deployments()), gh.reviewRequests(),
                publisher, registry, clock);
        routes.add(new AtlantisRoutes(config.server().apiToken(), config.applyResultToken(),
                new Gate(atlantis, config.gateGitHubBudget()),
                new PlanIntake(atlantis, store.costReports()),
                new ApplyOutcomes(atlantis, deploymentMetrics, store.costReports(),
                        auditEvents)));
        // deployments whose apply result never came end as unknown (both stores)
        UnreportedApplies unreported = new UnreportedApplies(atlantis);
        resources.add(0, ApplyResultSweep.start(unreported, ApplyResultSweep.EVERY));
        // --- end Atlantis ---
        routes.add(dashboard(config, store, policies, clock, json)); // [web]

        // [freeze] freeze, unfreeze and unlock through the API (token = the operator)
        routes.add(new io.tidegate.http.EnvironmentRoutes(config.server().apiToken()::matches,
                new io.tidegate.review.EnvironmentControl(store, policies, publisher,
                        new io.tidegate.review.EnvironmentReviews(gh.reviewRequests()),
                        clock)));

        WebServer web = new WebServer(
                new WebServer.Settings(config.server().bindAddress(), config.server().port(),
                        config.server().shutdownGrace(), limits),
                readiness, registry, routes, json);
        int port;
        try {
            port = web.start();
            resumeOwnLeases(config, store, clock);
            inboxWorker.start();
            dispatcher.start();
            gh.scheduler().start();
        } catch (RuntimeException e) {
            closeAll(resources);
            store.close();
            throw e;
        }
        resources.add(() -> {
            http.dispatcher().executorService().shutdown();
            http.connectionPool().evictAll();
        });
        resources.add(store); // last: everything closed before it may still write
        log.info("tidegate listening on {}:{} (store: {}, policy: {})",
                config.server().bindAddress(), port,
                config.storage().kind().name().toLowerCase(java.util.Locale.ROOT),
                config.policyPath());
        return new Running(web, resources, port, notify, unreported, gh.scheduler());
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
        Secret api = config.server().apiToken();
        Secret dash = config.dashboardToken();
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
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        // [perf] the JVM binders read JMX beans (a fifth of a start): bound on their own
        // thread, so /metrics has them a moment after the server is up instead of delaying it
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
        return registry;
    }
}
