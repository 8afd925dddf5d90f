package io.tidegate.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tidegate.decision.Command;
import io.tidegate.decision.CostChange;
import io.tidegate.decision.Decision;
import io.tidegate.decision.DecisionEngine;
import io.tidegate.decision.Facts;
import io.tidegate.decision.Lock;
import io.tidegate.decision.LockRace;
import io.tidegate.decision.Override;
import io.tidegate.decision.PlanChange;
import io.tidegate.decision.ProjectRef;
import io.tidegate.decision.ProjectReport;
import io.tidegate.decision.PullRequest;
import io.tidegate.decision.ReasonCode;
import io.tidegate.decision.Review;
import io.tidegate.policy.PolicySet;
import io.tidegate.store.AuditRecord;
import org.junit.jupiter.api.Test;

/** Facts schema 2: what the recorder writes reads back equal, and bad rows name the field. */
class FactsJsonTest {
    static final Instant NOW = Instant.parse("2026-11-23T01:00:00Z");
    static final ProjectRef PROJECT = new ProjectRef("prod-environment", "environments/prod",
            "default");

    /** Facts with every component filled, every Optional both ways, scales kept. */
    static Facts everything() {
        ProjectReport known = new ProjectReport(PROJECT, "abc", Optional.of(new CostChange(
                Optional.of(new BigDecimal("120.50")), Optional.of(new BigDecimal("1E+3")))),
                Optional.of(new PlanChange(Map.of("aws_instance", 2), Map.of("aws_lb", 1),
                        Map.of())), Optional.of(NOW.minusSeconds(60)));
        ProjectReport unknown = new ProjectReport(new ProjectRef("", "net", "eu"), "abc",
                Optional.of(CostChange.UNKNOWN), Optional.empty(), Optional.empty());
        return new Facts(Command.APPLY, PROJECT, new PullRequest("acme/infra", 42, "main", "abc",
                "dev1", true, Set.of("cost-reviewed", "x"), "body\n- [x] ok", "Title ✓"),
                "lead1", Map.of("lead1", Set.of("acme/devops-lead"), "dev1", Set.of()),
                List.of(new Review("lead1", Review.State.APPROVED, "abc", NOW.minusSeconds(30)),
                        new Review("cto1", Review.State.DISMISSED, "")),
                List.of(known, unknown),
                List.of(new Override("cto1", "abc", NOW.minusSeconds(10), "INC-1")),
                List.of(new Lock("production", "acme/infra#41")),
                List.of(new ProjectReport(PROJECT, "abc", Optional.empty(), Optional.empty(),
                        Optional.of(NOW.minusSeconds(600)))));
    }

    static AuditRecord row(String factsJson, List<String> codes) {
        return new AuditRecord(NOW, "acme/infra", 42, "abc", "prod-environment", "production",
                "apply", "lead1", "deny", codes, "sha256:1", factsJson);
    }

    @Test
    void everyFactsComponentIsWrittenAndReadBackEqual() throws Exception {
        Facts facts = everything();
        Decision d = DecisionEngine.decide(PolicySet.unavailable("broken"), facts, NOW);
        String json = FactsJson.decision(facts, d, NOW, Optional.of("policy.yaml:1:1: bad"),
                Optional.of(new LockRace("acme/infra#41", NOW.plusSeconds(1800))));

        RecordedDecision back = FactsJson.read(row(json, d.codes()));

        JsonNode tree = new ObjectMapper().readTree(json);
        assertThat(Arrays.stream(Facts.class.getRecordComponents()).map(c -> c.getName()))
                .allSatisfy(name -> assertThat(tree.has(name)).as(name).isTrue());
        assertThat(back.facts()).isEqualTo(facts);
        assertThat(back.schemaVersion()).isEqualTo(2);
        assertThat(back.now()).isEqualTo(NOW);
        assertThat(back.policyProblem()).contains("policy.yaml:1:1: bad");
        assertThat(back.lockRace()).contains(new LockRace("acme/infra#41",
                NOW.plusSeconds(1800)));
        assertThat(back.reasons().orElseThrow()).extracting(RecordedDecision.RecordedReason::code)
                .containsExactlyElementsOf(d.codes());
    }

    @Test
    void aDecisionRowHoldsTheHeaderEveryFactsComponentInOrderThenWhatCameOfThem()
            throws Exception {
        Facts facts = everything();
        Decision d = DecisionEngine.decide(PolicySet.unavailable("broken"), facts, NOW);
        JsonNode tree = new ObjectMapper().readTree(FactsJson.decision(facts, d, NOW,
                Optional.empty(), Optional.empty()));

        List<String> expected = new java.util.ArrayList<>(List.of("schemaVersion", "now"));
        Arrays.stream(Facts.class.getRecordComponents()).map(c -> c.getName())
                .forEach(expected::add);
        expected.addAll(List.of("policyFileProblem", "lockRace", "outcome"));
        List<String> names = new java.util.ArrayList<>();
        tree.fieldNames().forEachRemaining(names::add);
        assertThat(names).containsExactlyElementsOf(expected);
        assertThat(tree.get("policyFileProblem").isNull()).isTrue();
        assertThat(tree.get("lockRace").isNull()).isTrue();
        assertThat(tree.at("/outcome/decision").asText()).isEqualTo("deny");
        assertThat(tree.at("/outcome/reasons/0/code").asText()).isEqualTo(d.codes().get(0));
    }

    @Test
    void aMissingRequiredFieldIsNamedByItsPath() {
        String json = FactsJson.decision(everything(), DecisionEngine.decide(
                PolicySet.unavailable("x"), everything(), NOW), NOW, Optional.empty(),
                Optional.empty()).replace("\"headSha\":\"abc\",", "");

        assertThatThrownBy(() -> FactsJson.read(row(json, List.of())))
                .isInstanceOf(FactsSchemaException.class)
                .hasMessage("the facts (schema 2) lack the field pullRequest.headSha");
    }

    @Test
    void aFieldOfTheWrongTypeSaysWhatWasExpected() {
        String json = FactsJson.decision(everything(), DecisionEngine.decide(
                PolicySet.unavailable("x"), everything(), NOW), NOW, Optional.empty(),
                Optional.empty()).replace("\"number\":42", "\"number\":\"42\"");

        assertThatThrownBy(() -> FactsJson.read(row(json, List.of())))
                .hasMessage("the facts (schema 2) have pullRequest.number = \"42\", expected "
                        + "a whole number");
    }

    @Test
    void aRowOfANewerSchemaIsRefusedNamingIt() {
        assertThatThrownBy(() -> FactsJson.read(row("{\"schemaVersion\":3}", List.of())))
                .hasMessage("the facts have schema 3, newer than this Tidegate reads (2): use "
                        + "a newer Tidegate");
    }

    @Test
    void aGateRefusalReadsBackWithItsCodeAndWhy() throws Exception {
        String json = FactsJson.refusal(everything(), "GitHub timed out", NOW);

        RecordedDecision back = FactsJson.read(row(json, List.of("facts-unavailable")));

        assertThat(back.refusal()).contains(new RecordedDecision.Refusal(ReasonCode.FACTS_UNAVAILABLE,
                "GitHub timed out"));
        assertThat(back.facts()).isEqualTo(everything());
    }

    @Test
    void aGateRefusalRowWithAnEngineCodeIsRefusedNamingTheGateCodes() {
        String json = FactsJson.refusal(everything(), "GitHub timed out", NOW);

        assertThatThrownBy(() -> FactsJson.read(row(json, List.of("approvals-missing"))))
                .hasMessage("a gate refusal's row has reason codes [approvals-missing], "
                        + "expected one of [head-moved, actor-unknown, facts-unavailable]");
    }
}
