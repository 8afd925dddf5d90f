package io.tidegate.cli;

import java.io.PrintWriter;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.SerializationFeature;
import io.tidegate.Config;
import io.tidegate.ConfigException;
import io.tidegate.Json;
import io.tidegate.Main;
import io.tidegate.store.Deployment;
import io.tidegate.store.DeploymentResult;
import io.tidegate.store.DeploymentStats;
import io.tidegate.store.Store;
import io.tidegate.store.StoreException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code tidegate report}: seed 001's deployment report (statistics, recent deployments,
 * failures) for one environment, read from the same store the server uses (configured by the
 * same environment variables). Exit 0 printed, 2 bad input or configuration, 1 store failure.
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
        try (Store store = Main.openStore(config.storage())) {
            Instant now = Clock.systemUTC().instant();
            List<Deployment> ds = store.deployments().startedSince(Optional.of(environment),
                    DeploymentStats.needsSince(now, days));
            print(DeploymentStats.of(Optional.of(environment), ds, now, days), ds, now);
            return 0;
        } catch (StoreException e) {
            err.println("tidegate: " + e.getMessage());
            return 1;
        }
    }

    private void print(DeploymentStats stats, List<Deployment> all, Instant now)
            throws Exception {
        Instant from = now.minus(java.time.Duration.ofDays(days));
        List<Deployment> inPeriod = all.stream().filter(d -> !d.startedAt().isBefore(from))
                .toList();
        List<Deployment> recent = inPeriod.stream().limit(RECENT).toList();
        List<Deployment> failures = inPeriod.stream()
                .filter(d -> d.result() == DeploymentResult.FAILED).toList();
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
