package io.tidegate.cli;

import static io.tidegate.audit.AuditHistory.MONDAY_10_KST;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tidegate.audit.AuditHistory;
import io.tidegate.store.SqliteStore;
import io.tidegate.store.Store;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code tidegate what-if} on a recorded history with a stricter candidate (production needs
 * 3 approvals instead of 2): exactly the decisions that change are listed, and the store is
 * only read.
 */
class WhatIfCommandTest {
    @TempDir
    Path dir;
    Store store;
    Path candidate;
    Map<String, String> env;
    final Clock clock = Clock.fixed(MONDAY_10_KST.plus(Duration.ofDays(1)), ZoneOffset.UTC);

    @BeforeEach
    void record() throws Exception {
        store = SqliteStore.openIn(dir.resolve("data"));
        AuditHistory history = new AuditHistory(store, dir);
        history.apply(1, AuditHistory.PROD, false, "lead1", "cto1");   // allow
        history.apply(2, AuditHistory.PROD, false, "cto1");            // deny approvals-missing
        history.apply(3, AuditHistory.PROD, true, "lead1", "cto1");    // deny draft-pr
        history.apply(4, AuditHistory.STAGING, false, "senior1");      // allow
        candidate = dir.resolve("candidate.yaml");
        Files.writeString(candidate, AuditHistory.productionNeeding(3));
        env = Map.of("TIDEGATE_DATA_DIR", dir.resolve("data").toString());
    }

    @AfterEach
    void close() {
        store.close();
    }

    ReplayCommandTest.Run whatIf(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new WhatIfCommand(env, clock));
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return new ReplayCommandTest.Run(cli.execute(args), out.toString(), err.toString());
    }

    @Test
    void aStricterPolicyListsExactlyTheDecisionsItChanges() {
        ReplayCommandTest.Run r = whatIf("--policy", candidate.toString(), "--since", "7d");

        assertThat(r.exit()).as(r.err()).isZero();
        String sha = r.out().substring(r.out().indexOf("(sha256 ") + 8,
                r.out().indexOf("(sha256 ") + 20);
        assertThat(r.out()).isEqualTo("## What-if: `" + candidate + "` (sha256 " + sha + ")\n"
                + "\n"
                + "Recorded decisions since 2026-11-17T01:00:00Z: 4 decided again, 2 would "
                + "change.\n"
                + "\n"
                + "| change | decisions |\n"
                + "|---|---:|\n"
                + "| allow → deny | 1 |\n"
                + "| deny → allow | 0 |\n"
                + "| reasons changed | 1 |\n"
                + "\n"
                + "### Changed decisions\n"
                + "\n"
                + "| PR | environment | command | time (UTC) | recorded | candidate |\n"
                + "|---|---|---|---|---|---|\n"
                + "| acme/infra#1 prod-environment | production | apply | 2026-11-23T01:00:01Z "
                + "| allow | deny: approvals-missing |\n"
                + "| acme/infra#3 prod-environment | production | apply | 2026-11-23T01:00:03Z "
                + "| deny: draft-pr | deny: draft-pr, approvals-missing |\n");
    }

    @Test
    void jsonHasTheCountsAndTheChangedDecisions() throws Exception {
        ReplayCommandTest.Run r = whatIf("--policy", candidate.toString(), "--format", "json",
                "--repo", "acme/infra");

        JsonNode body = new ObjectMapper().readTree(r.out());
        assertThat(body.at("/counts/replayed").asInt()).isEqualTo(4);
        assertThat(body.at("/counts/allowToDeny").asInt()).isEqualTo(1);
        assertThat(body.at("/counts/reasonsChanged").asInt()).isEqualTo(1);
        assertThat(body.get("changed")).extracting(c -> c.get("pr").asInt())
                .containsExactly(1, 3);
        assertThat(body.at("/changed/0/candidate/reasons/0").asText())
                .isEqualTo("approvals-missing");
    }

    @Test
    void theSamePolicyChangesNothing() {
        ReplayCommandTest.Run r = whatIf("--policy", "policies/policy.yaml");

        assertThat(r.out()).contains("4 decided again, 0 would change.")
                .doesNotContain("### Changed decisions");
    }

    @Test
    void anInvalidCandidateIsRefusedWithItsProblems() throws Exception {
        Files.writeString(candidate, "version: 1\nrols: {}\n");

        ReplayCommandTest.Run r = whatIf("--policy", candidate.toString());

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains(candidate + ":2:1: unknown key \"rols\"");
    }

    @Test
    void aMissingStoreIsNotCreated() {
        env = Map.of("TIDEGATE_DATA_DIR", dir.resolve("elsewhere").toString());

        ReplayCommandTest.Run r = whatIf("--policy", candidate.toString());

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).startsWith("tidegate: no Tidegate store at ");
        assertThat(dir.resolve("elsewhere")).doesNotExist();
    }
}
