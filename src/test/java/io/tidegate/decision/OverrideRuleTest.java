package io.tidegate.decision;

import static io.tidegate.decision.DecisionEngineTest.POLICY;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.tidegate.policy.Environment;
import org.junit.jupiter.api.Test;

class OverrideRuleTest {
    private static final Environment PRODUCTION = POLICY.environment("production").orElseThrow();
    private static final Environment DEVELOP = POLICY.environment("develop").orElseThrow();

    @Test
    void eligibleWhenTheUserHoldsARoleOfOverrideBy() {
        assertThat(OverrideRule.eligibility(POLICY, PRODUCTION, "cto-lee", Set.of()))
                .isInstanceOf(OverrideRule.Eligibility.Eligible.class);
    }

    @Test
    void roleMissingWhenTheUserHoldsNoRoleOfOverrideBy() {
        assertThat(OverrideRule.eligibility(POLICY, PRODUCTION, "dev-kim",
                Set.of("acme/developers")))
                .isInstanceOf(OverrideRule.Eligibility.RoleMissing.class);
    }

    @Test
    void noWindowWhenTheApplyIsAlwaysOpen() {
        assertThat(OverrideRule.eligibility(POLICY, DEVELOP, "cto-lee", Set.of()))
                .isEqualTo(new OverrideRule.Eligibility.NoWindow());
    }

    @Test
    void aRecordedOverrideCountsOnlyOnTheHeadCommitAndByARoleOfBy() {
        var rule = OverrideRule.windowOf(POLICY, PRODUCTION).orElseThrow().override()
                .orElseThrow();
        Facts facts = facts("head1");
        Instant at = Instant.parse("2026-11-23T01:00:00Z");

        assertThat(OverrideRule.counts(POLICY, rule, facts,
                new Override("cto-lee", "head1", at, "outage"))).isTrue();
        assertThat(OverrideRule.counts(POLICY, rule, facts,
                new Override("cto-lee", "older", at, "outage"))).isFalse();
        assertThat(OverrideRule.counts(POLICY, rule, facts,
                new Override("dev-kim", "head1", at, "outage"))).isFalse();
    }

    private static Facts facts(String head) {
        return new Facts(Command.APPLY, DecisionEngineTest.PROD, new PullRequest("acme/infra",
                42, "main", head, "dev-kim", false, Set.of(), ""), "cto-lee",
                Map.of("dev-kim", Set.of("acme/developers")), List.of(), List.of(), List.of(),
                List.of());
    }
}
