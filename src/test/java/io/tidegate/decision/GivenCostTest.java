package io.tidegate.decision;

import static io.tidegate.decision.DecisionEngineTest.HEAD;
import static io.tidegate.decision.DecisionEngineTest.MONDAY_10;
import static io.tidegate.decision.DecisionEngineTest.POLICY;
import static io.tidegate.decision.DecisionEngineTest.PROD;
import static io.tidegate.decision.DecisionEngineTest.at;
import static io.tidegate.decision.DecisionEngineTest.reason;
import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.tidegate.policy.PolicySet;
import org.junit.jupiter.api.Test;

/**
 * Approvals and overrides count only for the cost they were given for: a later, greater monthly
 * increase of the environment at the same head commit outdates them.
 */
class GivenCostTest {
    static final ProjectRef PROD_DB = new ProjectRef("prod-db", "environments/prod/db", "default");
    static final ProjectRef DEV = new ProjectRef("dev-app", "environments/dev", "default");
    static final Instant T0 = at("2026-11-23T09:00:00+09:00");
    static final Instant T1 = at("2026-11-23T09:10:00+09:00");
    static final Instant T2 = at("2026-11-23T09:20:00+09:00");
    static final Instant T3 = at("2026-11-23T09:30:00+09:00");

    static Review approvedAt(String user, Instant when) {
        return new Review(user, Review.State.APPROVED, HEAD, when);
    }

    static ProjectReport reportAt(ProjectRef p, String increase, Instant when) {
        return new ProjectReport(p, HEAD, Optional.of(new CostChange(
                Optional.of(new BigDecimal(increase)), Optional.of(new BigDecimal("500.00")))),
                Optional.of(new PlanChange(Map.of(), Map.of(), Map.of())), Optional.of(when));
    }

    static Facts facts(List<Review> reviews, List<ProjectReport> reports, Override... overrides) {
        return new Facts(Command.APPLY, PROD, DecisionEngineTest.goodPr(), "lead-park",
                DecisionEngineTest.TEAMS, reviews, reports, List.of(overrides), List.of());
    }

    static Decision decide(Facts facts) {
        return DecisionEngine.decide(POLICY, facts, MONDAY_10);
    }

    @Test
    void approvalGivenBeforeAnotherProjectRaisedTheCostNoLongerCounts() {
        Facts f = facts(List.of(approvedAt("lead-park", T1), approvedAt("cto-lee", T3)),
                List.of(reportAt(PROD, "120.00", T0), reportAt(PROD_DB, "330.00", T2)));
        Decision d = decide(f);
        assertThat(d.reasons()).containsExactly(reason(ReasonCode.APPROVALS_MISSING,
                "production needs 2 approvals from devops-lead or cto; 1 counted (cto-lee); "
                        + "not counted: lead-park (approved at $120.00/month, now $450.00)",
                "needs 1 more approval from devops-lead or cto"));
        assertThat(d.assessment().approvals().ignored())
                .containsExactly("lead-park (approved at $120.00/month, now $450.00)");
    }

    @Test
    void approvalGivenAfterTheCostRoseCounts() {
        Facts f = facts(List.of(approvedAt("lead-park", T3), approvedAt("cto-lee", T3)),
                List.of(reportAt(PROD, "120.00", T0), reportAt(PROD_DB, "330.00", T2)));
        assertThat(decide(f).reasons()).isEmpty();
    }

    @Test
    void approvalGivenAtTheMomentOfTheReportCounts() {
        Facts f = facts(List.of(approvedAt("lead-park", T2), approvedAt("cto-lee", T2)),
                List.of(reportAt(PROD, "120.00", T0), reportAt(PROD_DB, "330.00", T2)));
        assertThat(decide(f).reasons()).isEmpty();
    }

    @Test
    void replanReportingAHigherCostOutdatesTheApproval() {
        Facts f = facts(List.of(approvedAt("lead-park", T1), approvedAt("cto-lee", T1)),
                List.of(reportAt(PROD, "450.00", T0), reportAt(PROD, "450.01", T2)));
        assertThat(decide(f).assessment().approvals().ignored()).containsExactly(
                "lead-park (approved at $450.00/month, now $450.01)",
                "cto-lee (approved at $450.00/month, now $450.01)");
    }

    @Test
    void replanReportingALowerOrEqualCostKeepsTheApproval() {
        Facts lower = facts(List.of(approvedAt("lead-park", T1), approvedAt("cto-lee", T1)),
                List.of(reportAt(PROD, "300.00", T0), reportAt(PROD, "200.00", T2)));
        Facts equal = facts(List.of(approvedAt("lead-park", T1), approvedAt("cto-lee", T1)),
                List.of(reportAt(PROD, "300.00", T0), reportAt(PROD, "300.00", T2)));
        assertThat(decide(lower).reasons()).isEmpty();
        assertThat(decide(equal).reasons()).isEmpty();
    }

    @Test
    void replacedReportIsTheCostAnApprovalGivenBeforeTheReplanWasGivenFor() {
        Facts lower = new Facts(Command.APPLY, PROD, DecisionEngineTest.goodPr(), "lead-park",
                DecisionEngineTest.TEAMS, List.of(approvedAt("lead-park", T1),
                approvedAt("cto-lee", T3)), List.of(reportAt(PROD, "200.00", T2)), List.of(),
                List.of(), List.of(reportAt(PROD, "300.00", T0)));
        Facts higher = new Facts(Command.APPLY, PROD, DecisionEngineTest.goodPr(), "lead-park",
                DecisionEngineTest.TEAMS, List.of(approvedAt("lead-park", T1),
                approvedAt("cto-lee", T3)), List.of(reportAt(PROD, "310.00", T2)), List.of(),
                List.of(), List.of(reportAt(PROD, "300.00", T0)));
        assertThat(decide(lower).reasons()).isEmpty();
        assertThat(decide(higher).assessment().approvals().ignored())
                .containsExactly("lead-park (approved at $300.00/month, now $310.00)");
    }

    @Test
    void approvalGivenBeforeAnyCostWasKnownStopsCountingOnceAnIncreaseIsKnown() {
        Facts f = facts(List.of(approvedAt("lead-park", T0), approvedAt("cto-lee", T3)),
                List.of(reportAt(PROD, "20.00", T1)));
        assertThat(decide(f).assessment().approvals().ignored()).containsExactly(
                "lead-park (approved before any cost was known, now $20.00/month)");
    }

    @Test
    void approvalGivenBeforeAnyCostWasKnownCountsWhenNothingIsAdded() {
        Facts zero = facts(List.of(approvedAt("lead-park", T0), approvedAt("cto-lee", T0)),
                List.of(reportAt(PROD, "0.00", T1)));
        Facts saving = facts(List.of(approvedAt("lead-park", T0), approvedAt("cto-lee", T0)),
                List.of(reportAt(PROD, "-35.00", T1)));
        assertThat(decide(zero).reasons()).isEmpty();
        assertThat(decide(saving).reasons()).isEmpty();
    }

    @Test
    void approvalWithoutASubmissionTimeCountsAsBefore() {
        Facts f = facts(List.of(DecisionEngineTest.approved("lead-park"),
                DecisionEngineTest.approved("cto-lee")),
                List.of(reportAt(PROD, "120.00", T0), reportAt(PROD_DB, "330.00", T2)));
        assertThat(decide(f).reasons()).isEmpty();
    }

    @Test
    void reportWithoutARecordedTimeIsKnownFromTheStart() {
        ProjectReport untimed = DecisionEngineTest.report(PROD_DB, "330.00", "1000.00", Map.of());
        Facts f = facts(List.of(approvedAt("lead-park", T1), approvedAt("cto-lee", T1)),
                List.of(reportAt(PROD, "120.00", T0), untimed));
        assertThat(decide(f).reasons()).isEmpty();
    }

    @Test
    void reportsOfAnotherEnvironmentDoNotOutdateAnApproval() {
        Facts f = facts(List.of(approvedAt("lead-park", T1), approvedAt("cto-lee", T1)),
                List.of(reportAt(PROD, "120.00", T0), reportAt(DEV, "40.00", T2)));
        assertThat(decide(f).reasons()).isEmpty();
    }

    @Test
    void reportsOfAnOlderCommitDoNotCountAsTheCostAnApprovalWasGivenFor() {
        ProjectReport older = new ProjectReport(PROD, "0ld0ld0", Optional.of(new CostChange(
                Optional.of(new BigDecimal("120.00")), Optional.empty())), Optional.empty(),
                Optional.of(T0));
        Facts f = facts(List.of(approvedAt("lead-park", T1), approvedAt("cto-lee", T3)),
                List.of(older, reportAt(PROD, "120.00", T2)));
        assertThat(decide(f).assessment().approvals().ignored()).containsExactly(
                "lead-park (approved before any cost was known, now $120.00/month)");
    }

    @Test
    void costRiseIsNotCheckedWhereNoCostRuleApplies() {
        PolicySet noCost = DecisionEngineTest.parse("""
                version: 1
                timezone: UTC
                roles: { ops: { teams: [acme/ops] } }
                environments:
                  e:
                    match: { projects: ["*"] }
                    apply: { approvals: { count: 1 } }
                """);
        Facts f = facts(List.of(approvedAt("ops-jung", T1)),
                List.of(reportAt(PROD, "120.00", T0), reportAt(PROD_DB, "330.00", T2)));
        assertThat(DecisionEngine.decide(noCost, f, MONDAY_10).isAllowed()).isTrue();
    }

    @Test
    void unknownCostNowLeavesApprovalsAloneAndDeniesForTheCost() {
        ProjectReport unpriced = new ProjectReport(PROD_DB, HEAD, Optional.of(CostChange.UNKNOWN),
                Optional.of(new PlanChange(Map.of(), Map.of(), Map.of())), Optional.of(T2));
        Facts f = facts(List.of(approvedAt("lead-park", T1), approvedAt("cto-lee", T1)),
                List.of(reportAt(PROD, "120.00", T0), unpriced));
        Decision d = decide(f);
        assertThat(d.codes()).containsExactly("cost-unknown", "budget-unknown");
        assertThat(d.assessment().approvals().ignored()).isEmpty();
    }

    @Test
    void overrideGivenBeforeTheCostRoseNoLongerLiftsTheWindow() {
        Instant friday = at("2026-11-27T10:00:00+09:00");
        Override o = new Override("cto-lee", HEAD, at("2026-11-27T09:30:00+09:00"), "INC-1");
        Facts f = facts(List.of(approvedAt("lead-park", T1), approvedAt("cto-lee", T1)),
                List.of(reportAt(PROD, "120.00", T0),
                        reportAt(PROD, "130.00", at("2026-11-27T09:45:00+09:00"))), o);
        Decision d = DecisionEngine.decide(POLICY, f, friday);
        assertThat(d.reasons()).containsExactly(
                reason(ReasonCode.APPROVALS_MISSING, "production needs 2 approvals from "
                        + "devops-lead or cto; 0 counted; not counted: lead-park (approved at "
                        + "$120.00/month, now $130.00), cto-lee (approved at $120.00/month, now "
                        + "$130.00)", "needs 2 more approvals from devops-lead or cto"),
                reason(ReasonCode.FREEZE, "production-hours is frozen on Fri 2026-11-27: "
                        + "Maintenance day; cto-lee's override no longer applies (given at "
                        + "$120.00/month, now $130.00)", "production-hours opens Mon 2026-11-30 "
                        + "09:00 KST; or an override by devops-lead or cto on this commit lifts "
                        + "it for 2h"));
        assertThat(d.assessment().override()).isEmpty();
    }

    @Test
    void overrideGivenAfterTheCostRoseLiftsTheWindow() {
        Instant friday = at("2026-11-27T10:00:00+09:00");
        Override o = new Override("cto-lee", HEAD, at("2026-11-27T09:50:00+09:00"), "INC-1");
        Facts f = facts(List.of(approvedAt("lead-park", T3), approvedAt("cto-lee", T3)),
                List.of(reportAt(PROD, "120.00", T0), reportAt(PROD, "130.00", T2)), o);
        Decision d = DecisionEngine.decide(POLICY, f, friday);
        assertThat(d.codes()).containsExactly("override-active");
    }
}
