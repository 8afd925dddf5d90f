package io.tidegate.decision;

import static io.tidegate.decision.DecisionEngineTest.at;
import static io.tidegate.decision.DecisionEngineTest.parse;
import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.tidegate.policy.PolicySet;
import org.junit.jupiter.api.Test;

/** enforce: false on each kind of rule: reported as "would deny", never denying. */
class EnforceFalseTest {
    static final String TEXT = """
            version: 1
            timezone: Asia/Seoul
            roles:
              devops: { teams: [acme/devops] }
            environments:
              production:
                match: { dirs: ["environments/prod/**"] }
                apply:
                  approvals: { count: 2, from: [devops], enforce: APPROVALS }
                  window: office
                cost: { max_monthly_increase: 100, enforce: COST }
                resources: { max_created: { aws_instance: 1 }, enforce: RESOURCES }
            windows:
              office:
                open: [ { days: [mon], from: "09:00", to: "10:00" } ]
                enforce: WINDOW
            """;
    static final ProjectRef PROD = new ProjectRef("prod", "environments/prod", "default");
    static final Instant TUESDAY = at("2026-11-24T12:00:00+09:00");

    static PolicySet policy(boolean approvals, boolean cost, boolean resources, boolean window) {
        return parse(TEXT.replace("APPROVALS", "" + approvals).replace("COST", "" + cost)
                .replace("RESOURCES", "" + resources).replace("WINDOW", "" + window));
    }

    /** One approval of two, $150 over a $100 limit, 2 instances of 1, outside the window. */
    static Facts facts() {
        PullRequest pr = new PullRequest("acme/infra", 7, "main", "h", "dev-kim", false, Set.of(),
                "");
        return new Facts(Command.APPLY, PROD, pr, "ops-jung",
                Map.of("ops-jung", Set.of("acme/devops")),
                List.of(new Review("ops-jung", Review.State.APPROVED, "h")),
                List.of(new ProjectReport(PROD, "h", Optional.of(new CostChange(
                        Optional.of(new BigDecimal("150")), Optional.of(BigDecimal.TEN))),
                        Optional.of(new PlanChange(Map.of("aws_instance", 2), Map.of(),
                                Map.of())))), List.of(), List.of());
    }

    @Test
    void everyRuleEnforcedDenies() {
        Decision d = DecisionEngine.decide(policy(true, true, true, true), facts(), TUESDAY);

        assertThat(d.isAllowed()).isFalse();
        assertThat(d.codes()).containsExactly("approvals-missing", "window-closed",
                "cost-limit-exceeded", "resource-limit-exceeded");
    }

    @Test
    void allowWithWouldDenyWhenNoRuleIsEnforced() {
        Decision d = DecisionEngine.decide(policy(false, false, false, false), facts(), TUESDAY);

        assertThat(d.isAllowed()).isTrue();
        assertThat(d.codes()).containsExactly("would-deny:approvals-missing",
                "would-deny:window-closed", "would-deny:cost-limit-exceeded",
                "would-deny:resource-limit-exceeded");
        assertThat(d.reasons()).allMatch(Reason::isWouldDeny);
        assertThat(d.reasons().get(2).message()).isEqualTo("would deny: the monthly cost "
                + "increase +$150.00 in production exceeds the limit of $100.00 (a hard limit)");
    }

    @Test
    void oneUnenforcedRuleLeavesTheOthersDenying() {
        Decision d = DecisionEngine.decide(policy(true, false, true, true), facts(), TUESDAY);

        assertThat(d.isAllowed()).isFalse();
        assertThat(d.codes()).containsExactly("approvals-missing", "window-closed",
                "would-deny:cost-limit-exceeded", "resource-limit-exceeded");
    }

    @Test
    void unenforcedApprovalsStillNeedWhatCostTiersNeed() {
        PolicySet p = parse(TEXT.replace("APPROVALS", "false").replace("COST", "true")
                .replace("RESOURCES", "true").replace("WINDOW", "true")
                .replace("windows:", "cost_approvals:\n  - { above: 0, approvals: 2 }\nwindows:"));

        Decision d = DecisionEngine.decide(p, facts(), TUESDAY);

        assertThat(d.codes()).startsWith("approvals-missing");
    }

    @Test
    void unknownCostUnderAnUnenforcedCostRuleOnlyWouldDeny() {
        Facts f = facts();
        f = new Facts(f.command(), f.project(), f.pullRequest(), f.actor(), f.teams(),
                f.reviews(), List.of(new ProjectReport(PROD, "h", Optional.empty(),
                        f.reports().get(0).plan())), f.overrides(), f.locks());

        Decision d = DecisionEngine.decide(policy(true, false, true, true), f, TUESDAY);

        assertThat(d.codes()).contains("would-deny:cost-unknown");
    }
}
