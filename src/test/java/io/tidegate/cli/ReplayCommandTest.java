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
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tidegate.audit.AuditHistory;
import io.tidegate.audit.Replayer;
import io.tidegate.decision.Decision;
import io.tidegate.decision.DecisionEngine;
import io.tidegate.decision.Reason;
import io.tidegate.decision.ReasonCode;
import io.tidegate.store.AuditEntry;
import io.tidegate.store.AuditQuery;
import io.tidegate.store.AuditRecord;
import io.tidegate.store.SqliteStore;
import io.tidegate.store.Store;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code tidegate replay} over a history recorded by the real recorder into a real SQLite
 * store: every decision replays the same, also after the policy file on disk changed; an
 * engine without the draft rule is caught; rows of schema 1 replay or name what they lack.
 */
class ReplayCommandTest {
    @TempDir
    Path dir;
    Store store;
    AuditHistory history;
    Map<String, String> env;
    final Clock clock = Clock.fixed(MONDAY_10_KST.plus(Duration.ofDays(1)), ZoneOffset.UTC);

    @BeforeEach
    void record() throws Exception {
        store = SqliteStore.openIn(dir.resolve("data"));
        history = new AuditHistory(store, dir);
        history.apply(1, AuditHistory.PROD, false, "lead1", "cto1");
        history.apply(2, AuditHistory.PROD, false, "cto1");
        history.apply(3, AuditHistory.PROD, true, "lead1", "cto1");
        history.apply(4, AuditHistory.STAGING, false, "senior1");
        env = Map.of("TIDEGATE_DATA_DIR", dir.resolve("data").toString());
    }

    @AfterEach
    void close() {
        store.close();
    }

    record Run(int exit, String out, String err) {}

    Run replay(Replayer.Decider decider, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new ReplayCommand(env, decider, clock));
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return new Run(cli.execute(args), out.toString(), err.toString());
    }

    List<AuditEntry> entries() {
        List<AuditEntry> out = new java.util.ArrayList<>();
        store.auditLog().forEach(AuditQuery.all(), out::add);
        return out;
    }

    @Test
    void everyRecordedDecisionReplaysTheSame() {
        Run r = replay(Replayer.Decider.ENGINE, "--since", "30d");

        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).endsWith("4 replayed: 4 same, 0 different, 0 not replayable\n");
        assertThat(entries()).extracting(e -> e.record().decision())
                .containsExactly("allow", "deny", "deny", "allow");
    }

    @Test
    void oneDecisionByItsIdPrintsSame() {
        Run r = replay(Replayer.Decider.ENGINE, entries().get(1).id());

        assertThat(r.exit()).isZero();
        assertThat(r.out()).isEqualTo("same\n");
    }

    @Test
    void aChangedPolicyFileOnDiskDoesNotChangeAReplay() throws Exception {
        Files.writeString(history.policyFile, AuditHistory.productionNeeding(5));

        Run r = replay(Replayer.Decider.ENGINE, "--repo", "acme/infra", "--pr", "1");

        assertThat(r.exit()).isZero();
        assertThat(r.out()).endsWith("1 replayed: 1 same, 0 different, 0 not replayable\n");
    }

    @Test
    void anEngineWithoutTheDraftRuleIsReportedAsADifference() {
        Replayer.Decider withoutDraftRule = (policy, facts, now) -> {
            Decision d = DecisionEngine.decide(policy, facts, now);
            List<Reason> kept = d.reasons().stream()
                    .filter(x -> x.code() != ReasonCode.DRAFT_PR).toList();
            return kept.stream().anyMatch(Reason::isBlocking)
                    ? new Decision.Deny(kept, d.assessment())
                    : new Decision.Allow(kept, d.assessment());
        };
        String id = entries().get(2).id();

        Run one = replay(withoutDraftRule, id);
        Run all = replay(withoutDraftRule, "--since", "30d");

        assertThat(one.exit()).isEqualTo(1);
        assertThat(one.out()).isEqualTo("different\n"
                + "  verdict: deny -> allow\n"
                + "  reasons: [draft-pr] -> []\n");
        assertThat(all.exit()).isEqualTo(1);
        assertThat(all.out()).contains(id + " different apply acme/infra#3 prod-environment")
                .endsWith("4 replayed: 3 same, 1 different, 0 not replayable\n");
    }

    @Test
    void jsonListsRecordedAndReplayedReasonsWithTheirMessages() throws Exception {
        Run r = replay(Replayer.Decider.ENGINE, "--repo", "acme/infra", "--pr", "2", "--json");

        JsonNode body = new ObjectMapper().readTree(r.out());
        assertThat(r.exit()).isZero();
        assertThat(body.at("/summary/same").asInt()).isEqualTo(1);
        JsonNode result = body.get("results").get(0);
        assertThat(result.get("status").asText()).isEqualTo("same");
        assertThat(result.at("/recorded/reasons/0/code").asText())
                .isEqualTo("approvals-missing");
        assertThat(result.at("/recorded/reasons/0/message").asText())
                .isEqualTo(result.at("/replayed/reasons/0/message").asText())
                .startsWith("production needs 2 approvals");
    }

    @Test
    void aRowOfSchemaOneReplaysFromTheCodesItKept() throws Exception {
        AuditRecord v2 = entries().get(1).record();
        store.audit().append(schemaOne(v2, node -> {}));

        Run r = replay(Replayer.Decider.ENGINE, newest());

        assertThat(r.exit()).isZero();
        assertThat(r.out()).isEqualTo("same\n");
    }

    @Test
    void aRowLackingAFieldSaysWhichOne() throws Exception {
        AuditRecord v2 = entries().get(0).record();
        store.audit().append(schemaOne(v2, node -> ((ObjectNode) node.get("reviews").get(1))
                .remove("commitSha")));

        Run r = replay(Replayer.Decider.ENGINE, newest());

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).isEqualTo("not-replayable\n"
                + "  the facts (schema 1) lack the field reviews[1].commitSha\n");
    }

    @Test
    void badInputExitsTwoNamingIt() {
        assertThat(replay(Replayer.Decider.ENGINE, "424242").err())
                .startsWith("error: no audit record with id \"424242\" in sqlite ");
        assertThat(replay(Replayer.Decider.ENGINE, "--pr", "3").err())
                .isEqualTo("error: --pr needs --repo OWNER/NAME\n");
        assertThat(replay(Replayer.Decider.ENGINE, "7", "--since", "30d").err())
                .isEqualTo("error: give one of DECISION_ID, --repo R --pr N, or --since "
                        + "PERIOD\n");
        Run bad = replay(Replayer.Decider.ENGINE, "--since", "last week");
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err()).startsWith("error: --since: expected a period such as 30d");
    }

    /** The id SQLite gave the last row appended. */
    private String newest() {
        return entries().stream().map(AuditEntry::id).max(java.util.Comparator.comparingLong(
                Long::parseLong)).orElseThrow();
    }

    /** The row as the recorder wrote it before schema 2: the facts alone. */
    private static AuditRecord schemaOne(AuditRecord v2,
            java.util.function.Consumer<JsonNode> damage) throws Exception {
        ObjectNode facts = (ObjectNode) new ObjectMapper().readTree(v2.factsJson());
        for (String field : List.of("schemaVersion", "now", "policyFileProblem", "lockRace",
                "outcome")) {
            facts.remove(field);
        }
        damage.accept(facts);
        return new AuditRecord(v2.time(), v2.repo(), v2.pr(), v2.headSha(), v2.project(),
                v2.environment(), v2.command(), v2.actor(), v2.decision(), v2.reasonCodes(),
                v2.policyHash(), new ObjectMapper().writeValueAsString(facts));
    }
}
