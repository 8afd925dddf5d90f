package io.tidegate.review;

import static io.tidegate.review.ReviewFixture.MONDAY_10_KST;
import static io.tidegate.review.ReviewFixture.PROD;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import io.tidegate.wiring.Json;
import io.tidegate.decision.Command;
import io.tidegate.decision.CostChange;
import io.tidegate.decision.DecisionEngine;
import io.tidegate.decision.Facts;
import io.tidegate.decision.PlanChange;
import io.tidegate.decision.ProjectReport;
import io.tidegate.store.AuditRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DecisionRecorderTest {
    @TempDir
    Path dir;

    private ReviewFixture f;
    private DecisionRecorder recorder;

    @BeforeEach
    void start() throws Exception {
        f = new ReviewFixture(dir);
        recorder = f.parts().recorder();
    }

    @AfterEach
    void stop() {
        f.close();
    }

    @Test
    void denyIsAuditedWithThePolicyHashAndFactsAndCountedOncePerReason() throws Exception {
        // Unknown cost: Infracost did not run. It must be written as null, never 0.
        ProjectReport unknown = new ProjectReport(PROD, ReviewFixture.SHA,
                Optional.of(CostChange.UNKNOWN), Optional.of(PlanChange.EMPTY));
        Facts facts = ReviewFixture.snapshot(42, ReviewFixture.SHA, List.of(unknown))
                .factsFor(Command.APPLY, PROD, "dev1");
        var decision = DecisionEngine.decide(f.policy, facts, MONDAY_10_KST);

        recorder.record(f.policy, facts, decision, MONDAY_10_KST, Optional.empty());

        AuditRecord r = f.store.audit().forPullRequest("acme/infra", 42, 1).get(0);
        assertThat(r.decision()).isEqualTo("deny");
        assertThat(r.reasonCodes()).containsExactly("actor-not-allowed", "cost-unknown",
                "budget-unknown");
        assertThat(r.environment()).isEqualTo("production");
        assertThat(r.command()).isEqualTo("apply");
        assertThat(r.policyHash()).isEqualTo("sha256:" + f.policy.sha256());
        assertThat(f.store.policyVersions().find(f.policy.sha256()).orElseThrow().files())
                .isEqualTo(java.util.Map.of("policies/policy.yaml", f.policyText));
        JsonNode stored = Json.mapper().readTree(r.factsJson());
        assertThat(stored.get("actor").asText()).isEqualTo("dev1");
        assertThat(stored.get("reports").get(0).get("cost").get("monthlyIncrease").isNull())
                .isTrue();
        assertThat(f.decisions("production", "deny", "actor-not-allowed")).isEqualTo(1.0);
        assertThat(f.decisions("production", "deny", "cost-unknown")).isEqualTo(1.0);
        assertThat(f.decisions("production", "deny", "budget-unknown")).isEqualTo(1.0);
    }

    @Test
    void wouldDenyIsAuditedWithItsCodeAndCountedAsWouldDeny() throws Exception {
        // The default policy with production's protect-data rule rolled out as enforce: false.
        var rollout = io.tidegate.policy.PolicyParser.parse(java.nio.file.Files.readString(
                Path.of("policies", "policy.yaml")).replace("ask the DBA team\"",
                "ask the DBA team\"\n        enforce: false"), "policy.yaml");
        PlanChange replaceDb = PlanChange.of(List.of(io.tidegate.decision.ResourceChange.of(
                "aws_db_instance.main", "aws_db_instance", true, false, true)));
        Facts facts = ReviewFixture.snapshot(42, ReviewFixture.SHA, List.of(new ProjectReport(
                PROD, ReviewFixture.SHA, Optional.of(CostChange.UNKNOWN),
                Optional.of(replaceDb)))).factsFor(Command.APPLY, PROD, "dev1");
        var decision = DecisionEngine.decide(rollout, facts, MONDAY_10_KST);

        recorder.record(rollout, facts, decision, MONDAY_10_KST, Optional.empty());

        AuditRecord r = f.store.audit().forPullRequest("acme/infra", 42, 1).get(0);
        assertThat(r.reasonCodes()).containsExactly("actor-not-allowed", "cost-unknown",
                "budget-unknown", "would-deny:plan-rule-denied");
        assertThat(f.decisions("production", "deny", "cost-unknown")).isEqualTo(1.0);
        assertThat(f.decisions("production", "would_deny", "plan-rule-denied")).isEqualTo(1.0);
    }
}
