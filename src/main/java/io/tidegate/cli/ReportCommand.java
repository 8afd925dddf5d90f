package io.tidegate.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.SerializationFeature;
import io.tidegate.wiring.Config;
import io.tidegate.wiring.ConfigException;
import io.tidegate.wiring.Json;
import io.tidegate.wiring.Server;
import io.tidegate.policy.Environment;
import io.tidegate.policy.PolicyFileException;
import io.tidegate.policy.PolicyParser;
import io.tidegate.policy.PolicySet;
import io.tidegate.store.Deployment;
import io.tidegate.store.DeploymentStatus;
import io.tidegate.store.DeploymentStats;
import io.tidegate.store.SqliteStore;
import io.tidegate.store.Store;
import io.tidegate.store.StoreException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code tidegate report}: seed 001's deployment report (statistics, recent deployments,
 * failures) for one environment, read from the same store the server uses (configured by the
 * same environment variables). Exit 0 printed, 2 bad input or configuration (an environment the
 * policy does not have, no store where one was expected), 1 store failure. It only reads: no
 * store, folder or table is created.
 */
@Command(name = "report", description = "Print the deployment report of one environment.")
public final class ReportCommand implements Callable<Integer> {
    static final int RECENT = 10;

    /** Output formats. */
    public enum Format { json, md }

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Option(names = "--environment", required = true, description = "environment name")
    private String environment;

    @Option(names = "--days", defaultValue = "30", description = "period in days, 1-90")
    private int days;

    @Option(names = "--format", defaultValue = "md", description = "json or md")
    private Format format;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        if (days < 1 || days > 90) {
            err.println("error: --days: expected 1 to 90, got " + days);
            return 2;
        }
        Config config;
        try {
            config = Config.from(System.getenv());
        } catch (ConfigException e) {
            err.println("tidegate: " + e.getMessage());
            return 2;
        }
        Optional<String> unusable = unknownEnvironment(config);
        if (unusable.isEmpty()) {
            unusable = missingStore(config.storage());
        }
        if (unusable.isPresent()) {
            err.println("tidegate: " + unusable.get());
            return 2;
        }
        try (Store store = Server.openStore(readOnly(config.storage()))) {
            Instant now = Clock.systemUTC().instant();
            List<Deployment> ds = store.deployments().startedSince(Optional.of(environment),
                    DeploymentStats.needsSince(now, days));
            print(DeploymentStats.of(Optional.of(environment), ds, now, days), ds, now);
            return 0;
        } catch (StoreException e) {
            // the store named by the settings cannot be read: bad input, as for `audit`
            err.println("tidegate: " + e.getMessage());
            return 2;
        }
    }

    /** The environment must be one of the policy's: a typo must not print an empty report. */
    private Optional<String> unknownEnvironment(Config config) {
        PolicySet policy;
        try {
            policy = PolicyParser.parse(config.policyPath());
        } catch (PolicyFileException | IOException e) {
            return Optional.of("cannot check --environment against the policy "
                    + config.policyPath() + " (TIDEGATE_POLICY): " + (e instanceof IOException
                    ? "cannot read it: " + e.getMessage() : "it is not valid, run tidegate "
                    + "validate"));
        }
        List<String> known = policy.environments().stream().map(Environment::name).toList();
        return known.contains(environment) ? Optional.empty()
                : Optional.of("unknown environment \"" + environment + "\" (known: "
                        + String.join(", ", known) + ")");
    }

    /** A report only reads: it never creates the SQLite file or its folder. */
    private static Optional<String> missingStore(Config.Storage storage) {
        Path file = storage.dataDir().resolve(SqliteStore.FILE_NAME);
        if (storage.kind() != Config.StoreKind.SQLITE || Files.isRegularFile(file)) {
            return Optional.empty();
        }
        return Optional.of("no store at " + file + ": nothing has been recorded there (set "
                + "TIDEGATE_DATA_DIR to the server's data directory)");
    }

    /** Never creates DynamoDB tables either. */
    private static Config.Storage readOnly(Config.Storage s) {
        return new Config.Storage(s.kind(), s.dataDir(), s.awsRegion(), s.dynamoDbEndpoint(),
                false, s.tablePrefix());
    }

    private void print(DeploymentStats stats, List<Deployment> all, Instant now)
            throws Exception {
        Instant from = now.minus(java.time.Duration.ofDays(days));
        List<Deployment> inPeriod = all.stream().filter(d -> !d.startedAt().isBefore(from))
                .toList();
        List<Deployment> recent = inPeriod.stream().limit(RECENT).toList();
        List<Deployment> failures = inPeriod.stream()
                .filter(d -> d.result() == DeploymentStatus.FAILED).toList();
        PrintWriter out = spec.commandLine().getOut();
        if (format == Format.json) {
            Map<String, Object> body = new LinkedHashMap<>(stats.toJson());
            body.put("recentDeployments", recent.stream().map(DeploymentStats::json).toList());
            body.put("failures", failures.stream().map(DeploymentStats::json).toList());
            out.println(Json.mapper().enable(SerializationFeature.INDENT_OUTPUT)
                    .writeValueAsString(body));
        } else {
            out.print(ReportMarkdown.render(stats, recent, failures));
        }
        out.flush();
    }
}
