package io.tidegate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tidegate.store.Deployment;
import io.tidegate.store.DeploymentStatus;
import io.tidegate.store.SqliteStore;
import io.tidegate.store.Store;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tidegate report} as a user runs it: a process reading the store the server wrote. */
@Tag("slow")
class ReportCommandTest {
    @TempDir
    Path dir;

    record Result(int exit, String out) {}

    Result run(String... args) throws IOException, InterruptedException {
        return run(Map.of(), args);
    }

    Result run(Map<String, String> env, String... args)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "io.tidegate.Main"));
        cmd.addAll(List.of(args));
        // the output goes to a file, so a command that hangs fails the test at the deadline
        // instead of blocking a read of its output forever
        Path output = Files.createTempFile(dir, "report-", ".out");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(output.toFile());
        pb.environment().put("TIDEGATE_DATA_DIR", dir.toString());
        pb.environment().remove("TIDEGATE_STORE");
        pb.environment().putAll(env);
        Process p = pb.start();
        boolean ended = p.waitFor(60, TimeUnit.SECONDS);
        if (!ended) {
            p.destroyForcibly();
        }
        assertThat(ended).as("report ended within 60 s").isTrue();
        return new Result(p.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
    }

    static Deployment deployment(String id, String env, Instant start, boolean ok) {
        return new Deployment(id, "acme/infra", 7, "abc123", "network", env, "alice", start,
                Optional.empty(), DeploymentStatus.RUNNING).finish(start.plusSeconds(180), ok);
    }

    @BeforeEach
    void seed() {
        Instant now = Instant.now();
        try (Store store = SqliteStore.openIn(dir)) {
            store.deployments().save(deployment("ok1", "production", now.minus(Duration.ofDays(1)),
                    true));
            store.deployments().save(deployment("bad1", "production",
                    now.minus(Duration.ofDays(12)), false));
            store.deployments().save(deployment("stg", "staging", now.minus(Duration.ofDays(1)),
                    true));
        }
    }

    @Test
    void jsonReportHasTheSeedStatsRecentDeploymentsAndFailures() throws Exception {
        Result r = run("report", "--environment", "production", "--days", "30", "--format",
                "json");
        assertThat(r.exit()).as(r.out()).isZero();
        JsonNode body = new ObjectMapper().readTree(r.out().substring(r.out().indexOf('{')));
        assertThat(body.at("/stats/totalDeployments").asInt()).isEqualTo(2);
        assertThat(body.at("/stats/successRate").decimalValue()).isEqualByComparingTo("50");
        assertThat(body.at("/stats/averageDuration").asLong()).isEqualTo(180);
        assertThat(body.at("/recentTrends/last7Days/totalDeployments").asInt()).isEqualTo(1);
        assertThat(body.get("recentDeployments").findValuesAsText("id"))
                .containsExactly("ok1", "bad1");
        assertThat(body.get("failures").findValuesAsText("id")).containsExactly("bad1");
    }

    @Test
    void markdownReportShowsTheTableAndTheFailures() throws Exception {
        Result r = run("report", "--environment", "production", "--days", "7", "--format", "md");
        assertThat(r.exit()).as(r.out()).isZero();
        assertThat(r.out()).contains("# Deployment report: production, last 7 days")
                .contains("| last 7 days | 1 | 1 | 0 | 0 | 100.00 % | 180 s |")
                .contains("| last 30 days | 2 | 1 | 1 | 0 | 50.00 % | 180 s |")
                .contains("## Failures\n\nNone.");
    }

    @Test
    void daysOutsideOneToNinetyIsABadInputExit() throws Exception {
        Result r = run("report", "--environment", "production", "--days", "0");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.out()).contains("error: --days: expected 1 to 90, got 0");
    }

    @Test
    void unknownEnvironmentIsABadInputExitNamingTheKnownOnes() throws Exception {
        Result r = run("report", "--environment", "prod");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.out().strip()).isEqualTo("tidegate: unknown environment \"prod\" (known: "
                + "develop, staging, production)");
    }

    @Test
    void aReportWhereNothingWasRecordedCreatesNoStore() throws Exception {
        Path elsewhere = dir.resolve("elsewhere");
        Result r = run(Map.of("TIDEGATE_DATA_DIR", elsewhere.toString()), "report",
                "--environment", "production");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.out().strip()).isEqualTo("tidegate: no store at " + elsewhere
                .resolve("tidegate.db") + ": nothing has been recorded there (set "
                + "TIDEGATE_DATA_DIR to the server's data directory)");
        assertThat(elsewhere).doesNotExist();
    }

    @Test
    void aStoreThatCannotBeReadIsABadInputExitWithOneLineAsAuditSays() throws Exception {
        // the data directory holds a file by the store's name that is not a SQLite database
        // (another tool's file, or a copy cut short): an unusable setting, exit 2 as for
        // `tidegate audit`, not 1, which says "a negative answer"
        Path elsewhere = Files.createDirectories(dir.resolve("elsewhere"));
        Files.writeString(elsewhere.resolve("tidegate.db"), "not a database\n".repeat(512));
        Result r = run(Map.of("TIDEGATE_DATA_DIR", elsewhere.toString()), "report",
                "--environment", "production");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.out().strip()).startsWith("tidegate: ").doesNotContain("\n")
                .doesNotContain("Exception");
    }

    @Test
    void unknownFormatIsABadInputExitNamingTheOption() throws Exception {
        Result r = run("report", "--environment", "production", "--format", "pdf");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.out()).contains("--format");
    }
}
