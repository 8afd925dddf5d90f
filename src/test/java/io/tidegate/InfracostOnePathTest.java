package io.tidegate;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tidegate.cli.TidegateCommand;
import io.tidegate.decision.CostChange;
import io.tidegate.store.CostReport;
import io.tidegate.store.SqliteStore;
import io.tidegate.store.Store;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import io.tidegate.wiring.Config;
import io.tidegate.wiring.Server;

/**
 * Issue 15, item 11: a policy test decides on the cost the server would. Every Infracost fixture
 * (and the real $1,303.28 output with a second project Infracost failed to price) goes through
 * both paths: uploaded by the real {@code atlantis/tidegate-hook report} to a running server,
 * which stores the cost, and named as {@code infracost:} in a case that {@code tidegate simulate}
 * decides. The cost each path ends with must be the same, unknown included.
 */
@Tag("slow")
class InfracostOnePathTest {
    private static final String TOKEN = "tg_onepath_token_0123456789abcdef";
    private static final String SHA = "6dcb09b5b57875f334f61aebed695e2e4193db5e";
    private final ObjectMapper json = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void serverUploadAndPolicyCaseReadEveryInfracostFixtureToTheSameCost() throws Exception {
        Map<Path, Integer> files = infracostFiles();
        Path data = dir.resolve("data");
        try (Server.Running server = Server.start(Config.from(Map.of(
                "TIDEGATE_BIND_ADDRESS", "127.0.0.1", "TIDEGATE_PORT", "0",
                "TIDEGATE_API_TOKEN", TOKEN, "TIDEGATE_DATA_DIR", data.toString(),
                "TIDEGATE_POLICY", "policies/policy.yaml")))) {
            for (Map.Entry<Path, Integer> f : files.entrySet()) {
                report(server.port(), f.getValue(), f.getKey());
            }
        }
        Map<String, CostChange> seen = new LinkedHashMap<>();
        try (Store store = SqliteStore.openIn(data)) {
            for (Map.Entry<Path, Integer> f : files.entrySet()) {
                List<CostReport> stored = store.costReports().forCommit("acme/infra",
                        f.getValue(), SHA);
                assertThat(stored).as(f.getKey().toString()).hasSize(1);
                // simulate's JSON shows the amounts; the currency is compared by its own tests
                CostChange kept = stored.get(0).cost();
                CostChange server = new CostChange(kept.monthlyIncrease(), kept.monthlyTotal());
                assertThat(simulated(f.getKey())).as(f.getKey().getFileName().toString())
                        .isEqualTo(server);
                seen.put(f.getKey().getFileName().toString(), server);
            }
        }
        // Both paths agree, and on the right figures: the unpriced project makes it unknown.
        assertThat(seen.get("breakdown.new-resources.json")).isEqualTo(cost("1303.28",
                "1303.28"));
        assertThat(seen.get("with-an-unpriced-project.json")).isEqualTo(CostChange.UNKNOWN);
        assertThat(seen).hasSize(files.size());
    }

    /** Every fixture under infracost/, plus the case derived from one; a PR each. */
    private Map<Path, Integer> infracostFiles() throws IOException {
        Map<Path, Integer> out = new LinkedHashMap<>();
        try (Stream<Path> s = Files.list(Fixtures.root().resolve("infracost"))) {
            s.filter(p -> p.toString().endsWith(".json")).sorted()
                    .forEach(p -> out.put(p.toAbsolutePath(), 100 + out.size()));
        }
        assertThat(out).hasSizeGreaterThanOrEqualTo(5);
        ObjectNode report = (ObjectNode) json.readTree(Fixtures.bytes(
                "infracost/breakdown.new-resources.json"));
        report.withArray("projects").add(json.readTree("""
                {"name":"broken","metadata":{"path":"envs/prod","type":"terraform_dir",
                   "errors":[{"code":102,"message":"Error loading module"}]},
                 "breakdown":{"resources":[],"totalMonthlyCost":null}}"""));
        Path unpriced = dir.resolve("with-an-unpriced-project.json");
        Files.writeString(unpriced, report.toString());
        out.put(unpriced, 100 + out.size());
        return out;
    }

    /** The real hook, as an Atlantis post-plan step runs it. */
    private void report(int port, int pr, Path infracost) throws Exception {
        Map<String, String> env = new LinkedHashMap<>(AtlantisRunStep.applyProd(pr, SHA, "dev1",
                port, TOKEN));
        env.put("TIDEGATE_INFRACOST_FILE", infracost.toString());
        ProcessBuilder pb = new ProcessBuilder("sh", "atlantis/tidegate-hook", "report")
                .redirectErrorStream(true);
        pb.environment().clear();
        pb.environment().put("PATH", System.getenv("PATH"));
        pb.environment().putAll(env);
        Process p = pb.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("hook finished").isTrue();
        assertThat(p.exitValue()).as(out).isZero();
    }

    /** The cost {@code tidegate simulate} decides with for a case naming the same file. */
    private CostChange simulated(Path infracost) throws IOException {
        Path file = dir.resolve("case-" + infracost.getFileName() + ".yaml");
        Files.writeString(file, """
                at: 2026-11-23T10:00:00+09:00
                command: apply
                project: { name: prod-environment, dir: environments/prod, workspace: prod }
                pull_request: { number: 7, base: main, head: %s, author: dev1 }
                actor: lead1
                infracost: %s
                """.formatted(SHA, infracost));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = TidegateCommand.commandLine(new PrintWriter(out, true), new PrintWriter(err, true))
                .execute("simulate", "--case", file.toString(), "--json");
        assertThat(exit).as(err.toString()).isIn(0, 1);
        JsonNode cost = json.readTree(out.toString()).path("assessment").path("cost");
        return new CostChange(money(cost.path("monthly_increase")),
                money(cost.path("monthly_total")));
    }

    private static Optional<BigDecimal> money(JsonNode n) {
        return n.isNull() || n.isMissingNode() ? Optional.empty()
                : Optional.of(new BigDecimal(n.asText()));
    }

    private static CostChange cost(String increase, String total) {
        return new CostChange(Optional.of(new BigDecimal(increase)),
                Optional.of(new BigDecimal(total)));
    }
}
