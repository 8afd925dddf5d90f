package io.tidegate.decision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.tidegate.policy.PolicyFileException;
import io.tidegate.policy.PolicyParser;
import io.tidegate.policy.PolicySet;
import io.tidegate.policy.Windows;
import org.junit.jupiter.api.Test;

/** The engine's rules one by one, against a small policy shaped like the seed's. */
class DecisionEngineTest {
    static final PolicySet POLICY = parse("""
            version: 1
            timezone: Asia/Seoul
            roles:
              developers:  { teams: [acme/developers] }
              devops-lead: { teams: [acme/devops-lead] }
              cto:         { users: [cto-lee] }
            environments:
              develop:
                match: { dirs: ["environments/dev/**"] }
                apply: { enabled: false }
              production:
                match: { projects: ["prod-*"], dirs: ["environments/prod/**"] }
                branches: [main]
                plan: { allow: [developers, devops-lead, cto] }
                apply:
                  allow: [devops-lead, cto]
                  approvals: { count: 2, from: [devops-lead, cto] }
                  require: { labels: [cost-reviewed], checklist: complete, sections: ["Rollback plan"] }
                  window: production-hours
                  lock: { ttl: 30m }
                cost:
                  max_monthly_increase: 500
                  over_limit: { approvals: 3, approvals_from: [cto], require: { sections: ["Business justification"] } }
                  budget: { monthly: 2000, warn_at_percent: 75 }
                resources:
                  max_created: { aws_instance: 5, "aws_lb|aws_alb|aws_elb": 3 }
            cost_approvals:
              - { above: 0, approvals: 1 }
              - { above: 100, approvals: 2 }
              - { above: 500, approvals: 3, approvals_from: [cto] }
            windows:
              production-hours:
                open: [ { days: [mon, tue, wed, thu], from: "09:00", to: "17:00" } ]
                closed: [ { monthly: last-friday, reason: Maintenance day } ]
                override: { by: [devops-lead, cto], expires: 2h }
            """);
    static final String HEAD = "9f1c2d3";
    static final ProjectRef PROD = new ProjectRef("prod-app", "environments/prod", "default");
    static final Instant MONDAY_10 = at("2026-11-23T10:00:00+09:00");
    static final String BODY = "- [x] staging tested\n\n## Rollback plan\nRevert the PR.\n";
    static final Map<String, Set<String>> TEAMS = Map.of(
            "lead-park", Set.of("acme/devops-lead"), "ops-han", Set.of("acme/devops-lead"),
            "dev-kim", Set.of("acme/developers"));

    static PolicySet parse(String yaml) {
        try {
            return PolicyParser.parse(yaml, "test.yaml");
        } catch (PolicyFileException e) {
            throw new AssertionError(e.getMessage(), e);
        }
    }

    static Instant at(String iso) {
        return OffsetDateTime.parse(iso).toInstant();
    }

    static PullRequest pr(boolean draft, String base, Set<String> labels, String body) {
        return new PullRequest("acme/infra", 42, base, HEAD, "dev-kim", draft, labels, body);
    }

    static PullRequest goodPr() {
        return pr(false, "main", Set.of("cost-reviewed"), BODY);
    }

    static Review approved(String user) {
        return new Review(user, Review.State.APPROVED, HEAD);
    }

    static ProjectReport report(ProjectRef p, String increase, String total, Map<String, Integer> created) {
        return new ProjectReport(p, HEAD, Optional.of(new CostChange(
                Optional.ofNullable(increase).map(BigDecimal::new),
                Optional.ofNullable(total).map(BigDecimal::new))),
                Optional.of(new PlanChange(created, Map.of(), Map.of())));
    }

    /** A production apply every rule allows; each test changes one fact. */
    static Facts allowed() {
        return facts(goodPr(), List.of(approved("lead-park"), approved("cto-lee")),
                List.of(report(PROD, "20.00", "1000.00", Map.of("aws_instance", 1))));
    }

    static Facts facts(PullRequest pr, List<Review> reviews, List<ProjectReport> reports) {
        return new Facts(Command.APPLY, PROD, pr, "lead-park", TEAMS, reviews, reports, List.of(),
                List.of());
    }

    static Facts withReviews(List<Review> reviews) {
        Facts f = allowed();
        return new Facts(f.command(), f.project(), f.pullRequest(), f.actor(), f.teams(), reviews,
                f.reports(), f.overrides(), f.locks());
    }

    static Facts withReports(List<ProjectReport> reports) {
        Facts f = allowed();
        return new Facts(f.command(), f.project(), f.pullRequest(), f.actor(), f.teams(),
                f.reviews(), reports, f.overrides(), f.locks());
    }

    static Facts withPr(PullRequest pr) {
        Facts f = allowed();
        return new Facts(f.command(), f.project(), pr, f.actor(), f.teams(), f.reviews(),
                f.reports(), f.overrides(), f.locks());
    }

    static Facts withOverrides(Override... overrides) {
        Facts f = allowed();
        return new Facts(f.command(), f.project(), f.pullRequest(), f.actor(), f.teams(),
                f.reviews(), f.reports(), List.of(overrides), f.locks());
    }

    static Facts withLocks(Lock... locks) {
        Facts f = allowed();
        return new Facts(f.command(), f.project(), f.pullRequest(), f.actor(), f.teams(),
                f.reviews(), f.reports(), f.overrides(), List.of(locks));
    }

    static List<Reason> reasons(Facts facts, Instant now) {
        return DecisionEngine.decide(POLICY, facts, now).reasons();
    }

    static Reason reason(ReasonCode code, String message, String remedy) {
        return new Reason(code, message, Optional.ofNullable(remedy));
    }

    @Test
    void allowProductionApplyWhenEveryRuleHolds() {
        Decision d = DecisionEngine.decide(POLICY, allowed(), MONDAY_10);
        assertThat(d).isInstanceOf(Decision.Allow.class);
        assertThat(d.reasons()).isEmpty();
        Assessment a = d.assessment();
        assertThat(a.environment()).contains("production");
        assertThat(a.approvals().counted()).isEqualTo(2);
        assertThat(a.approvals().needed()).isEqualTo(2);
        assertThat(a.approvals().approvers()).containsExactly("lead-park", "cto-lee");
        assertThat(a.window()).contains(new Assessment.WindowStatus("production-hours",
                "Asia/Seoul", Windows.Status.OPEN, Optional.empty(), Optional.of(MONDAY_10),
                Optional.of("Mon 2026-11-23 10:00 KST"), false));
        assertThat(a.cost()).contains(new Assessment.CostStatus(
                Optional.of(new BigDecimal("20.00")), Optional.of(new BigDecimal("500")),
                Optional.of(new BigDecimal("1000.00")), Optional.of(new BigDecimal("2000")),
                Optional.of(new BigDecimal("1500.00")), 1));
        assertThat(a.resources()).containsExactly(
                new Assessment.ResourceStatus("aws_instance", 1, 5),
                new Assessment.ResourceStatus("aws_lb|aws_alb|aws_elb", 0, 3));
    }

    @Test
    void denyProjectThatNoEnvironmentMatches() {
        ProjectRef other = new ProjectRef("sandbox", "sandbox", "default");
        Facts f = new Facts(Command.PLAN, other, goodPr(), "dev-kim", TEAMS, List.of(), List.of(),
                List.of(), List.of());
        assertThat(DecisionEngine.decide(POLICY, f, MONDAY_10)).isEqualTo(new Decision.Deny(
                List.of(reason(ReasonCode.NO_ENVIRONMENT, "no environment of the policy matches "
                        + "project sandbox (dir sandbox, workspace default)",
                        "add an environment whose match covers it to the policy")),
                Assessment.none(Command.PLAN, other)));
    }

    @Test
    void everyMatchKeyMustFit() {
        ProjectRef wrongDir = new ProjectRef("prod-app", "environments/staging", "default");
        assertThat(DecisionEngine.environmentFor(POLICY, wrongDir)).isEmpty();
        assertThat(DecisionEngine.environmentFor(POLICY,
                new ProjectRef("", "environments/dev", "default")).map(e -> e.name()))
                .contains("develop");
    }

    @Test
    void denyApplyWhereApplyIsDisabledWithThatReasonAlone() {
        ProjectRef dev = new ProjectRef("dev-app", "environments/dev", "default");
        Facts f = new Facts(Command.APPLY, dev, goodPr(), "lead-park", TEAMS, List.of(),
                List.of(), List.of(), List.of());
        assertThat(reasons(f, MONDAY_10)).containsExactly(reason(ReasonCode.COMMAND_DISABLED,
                "apply is disabled in develop (plan only)", null));
    }

    @Test
    void denyApplyByActorWithoutAnApplyRole() {
        Facts f = allowed();
        Facts byDev = new Facts(f.command(), f.project(), f.pullRequest(), "dev-kim", f.teams(),
                f.reviews(), f.reports(), f.overrides(), f.locks());
        assertThat(reasons(byDev, MONDAY_10)).containsExactly(reason(
                ReasonCode.ACTOR_NOT_ALLOWED, "dev-kim may not apply in production: it takes "
                        + "role devops-lead or cto (dev-kim has developers)",
                "ask someone with role devops-lead or cto to run atlantis apply"));
    }

    @Test
    void roleHeldThroughUsersListCounts() {
        Facts f = allowed();
        Facts byCto = new Facts(f.command(), f.project(), f.pullRequest(), "cto-lee", f.teams(),
                List.of(approved("lead-park"), approved("ops-han")), f.reports(), f.overrides(),
                f.locks());
        assertThat(DecisionEngine.decide(POLICY, byCto, MONDAY_10).isAllowed()).isTrue();
    }

    @Test
    void denyApplyFromBaseBranchOutsideBranches() {
        assertThat(reasons(withPr(pr(false, "develop", Set.of("cost-reviewed"), BODY)),
                MONDAY_10)).containsExactly(reason(ReasonCode.BRANCH_NOT_ALLOWED,
                        "production is applied only from pull requests into main; this one "
                                + "targets develop", "apply it through a pull request into main"));
    }

    @Test
    void denyApplyFromDraftPullRequest() {
        assertThat(reasons(withPr(pr(true, "main", Set.of("cost-reviewed"), BODY)), MONDAY_10))
                .containsExactly(reason(ReasonCode.DRAFT_PR, "this pull request is a draft: "
                        + "nothing is applied from a draft", "mark the pull request ready for review"));
    }

    @Test
    void approvalsMissingSaysHowManyMoreAndWhyOthersDidNotCount() {
        List<Review> reviews = List.of(approved("dev-kim"), approved("lead-park"),
                new Review("cto-lee", Review.State.APPROVED, "0ld0ld0"));
        assertThat(reasons(withReviews(reviews), MONDAY_10)).containsExactly(reason(
                ReasonCode.APPROVALS_MISSING, "production needs 2 approvals from devops-lead or "
                        + "cto; 1 counted (lead-park); not counted: dev-kim (the PR author), "
                        + "cto-lee (on an older commit)",
                "needs 1 more approval from devops-lead or cto"));
    }

    @Test
    void authorApprovalNeverCountsEvenWithApproverRole() {
        PullRequest byLead = new PullRequest("acme/infra", 42, "main", HEAD, "lead-park", false,
                Set.of("cost-reviewed"), BODY);
        Facts f = withPr(byLead);
        assertThat(DecisionEngine.decide(POLICY, f, MONDAY_10).assessment().approvals()
                .approvers()).containsExactly("cto-lee");
    }

    @Test
    void staleApprovalCountsWhenDismissStaleIsFalse() {
        PolicySet lenient = parse("""
                version: 1
                timezone: UTC
                roles: { ops: { teams: [acme/ops] } }
                environments:
                  e:
                    match: { projects: ["*"] }
                    apply: { approvals: { count: 1, dismiss_stale: false } }
                """);
        Facts f = new Facts(Command.APPLY, PROD, goodPr(), "x", Map.of(),
                List.of(new Review("ops-jung", Review.State.APPROVED, "0ld0ld0")), List.of(),
                List.of(), List.of());
        assertThat(DecisionEngine.decide(lenient, f, MONDAY_10).isAllowed()).isTrue();
    }

    @Test
    void dismissedReviewWithdrawsTheApproval() {
        List<Review> reviews = List.of(approved("lead-park"), approved("cto-lee"),
                new Review("cto-lee", Review.State.DISMISSED, HEAD));
        assertThat(DecisionEngine.decide(POLICY, withReviews(reviews), MONDAY_10).codes())
                .containsExactly("approvals-missing");
    }

    @Test
    void commentedReviewChangesNothing() {
        List<Review> reviews = List.of(approved("lead-park"), approved("cto-lee"),
                new Review("cto-lee", Review.State.COMMENTED, HEAD),
                new Review("lead-park", Review.State.PENDING, HEAD));
        assertThat(DecisionEngine.decide(POLICY, withReviews(reviews), MONDAY_10).isAllowed())
                .isTrue();
    }

    @Test
    void personCountsOnceWhateverTheirRolesAndReviews() {
        List<Review> reviews = List.of(approved("lead-park"), approved("lead-park"),
                approved("LEAD-PARK"));
        assertThat(DecisionEngine.decide(POLICY, withReviews(reviews), MONDAY_10).assessment()
                .approvals().counted()).isEqualTo(1);
    }

    @Test
    void outstandingChangeRequestFromApproverBlocks() {
        List<Review> reviews = List.of(approved("lead-park"), approved("cto-lee"),
                new Review("ops-han", Review.State.CHANGES_REQUESTED, "0ld0ld0"));
        assertThat(reasons(withReviews(reviews), MONDAY_10)).containsExactly(reason(
                ReasonCode.CHANGES_REQUESTED, "changes requested by ops-han",
                "ops-han must approve, or the review be dismissed"));
    }

    @Test
    void changeRequestFromNonApproverDoesNotBlock() {
        List<Review> reviews = List.of(approved("lead-park"), approved("cto-lee"),
                new Review("dev-yoon", Review.State.CHANGES_REQUESTED, HEAD));
        assertThat(DecisionEngine.decide(POLICY, withReviews(reviews), MONDAY_10).isAllowed())
                .isTrue();
    }

    @Test
    void neededApprovalsIsTheMaxOfEnvironmentCountAndCostTier() {
        // 499.99: tier "above 100" asks 2, the environment asks 2: still 2.
        Facts f = withReports(List.of(report(PROD, "499.99", "1000", Map.of())));
        assertThat(DecisionEngine.decide(POLICY, f, MONDAY_10).assessment().approvals().needed())
                .isEqualTo(2);
        PolicySet oneApproval = parse(POLICY_ONE_APPROVAL);
        Facts at100 = withReports(List.of(report(PROD, "100.00", "1000", Map.of())));
        Facts at10001 = withReports(List.of(report(PROD, "100.01", "1000", Map.of())));
        assertThat(DecisionEngine.decide(oneApproval, at100, MONDAY_10).assessment().approvals()
                .needed()).isEqualTo(1);
        assertThat(DecisionEngine.decide(oneApproval, at10001, MONDAY_10).assessment()
                .approvals().needed()).isEqualTo(2);
    }

    static final String POLICY_ONE_APPROVAL = """
            version: 1
            timezone: UTC
            roles: { ops: { teams: [acme/ops] } }
            environments:
              e:
                match: { projects: ["*"] }
                apply: { approvals: { count: 1 } }
            cost_approvals:
              - { above: 0, approvals: 1 }
              - { above: 100, approvals: 2 }
            """;

    @Test
    void overLimitDeniesWithWhatIsStillMissing() {
        Facts f = withReports(List.of(report(PROD, "620.50", "1400.00", Map.of())));
        assertThat(reasons(f, MONDAY_10)).containsExactly(
                reason(ReasonCode.APPROVALS_MISSING, "production needs 3 approvals from "
                        + "devops-lead or cto; 2 counted (lead-park and cto-lee)",
                        "needs 1 more approval from devops-lead or cto"),
                reason(ReasonCode.SECTION_MISSING, "the PR description has no \"Business "
                        + "justification\" section with text", "add a \"## Business "
                        + "justification\" heading followed by text to the PR description"),
                reason(ReasonCode.COST_LIMIT_EXCEEDED, "the monthly cost increase +$620.50 in "
                        + "production exceeds the limit of $500.00",
                        "needs 1 more approval (3 in all); needs a \"Business justification\" "
                                + "section"));
    }

    @Test
    void overLimitPathMetAllowsWithANote() {
        Facts f = withReports(List.of(report(PROD, "620.50", "1400.00", Map.of())));
        Facts met = new Facts(f.command(), f.project(), pr(false, "main", Set.of("cost-reviewed"),
                BODY + "\n## Business justification\nLaunch.\n"), f.actor(), f.teams(),
                List.of(approved("lead-park"), approved("cto-lee"), approved("ops-han")),
                f.reports(), f.overrides(), f.locks());
        Decision d = DecisionEngine.decide(POLICY, met, MONDAY_10);
        assertThat(d.isAllowed()).isTrue();
        assertThat(d.codes()).containsExactly("cost-over-limit-approved");
    }

    @Test
    void hardLimitWithoutOverLimitPath() {
        PolicySet hard = parse("""
                version: 1
                timezone: UTC
                roles: { ops: { teams: [acme/ops] } }
                environments:
                  e:
                    match: { projects: ["*"] }
                    cost: { max_monthly_increase: 50 }
                """);
        Facts f = withReports(List.of(report(PROD, "50.01", "100", Map.of())));
        assertThat(DecisionEngine.decide(hard, f, MONDAY_10).reasons()).containsExactly(reason(
                ReasonCode.COST_LIMIT_EXCEEDED, "the monthly cost increase +$50.01 in e exceeds "
                        + "the limit of $50.00 (a hard limit)", "bring the increase down by $0.01"));
    }

    @Test
    void unknownCostDeniesAndIsNeverZero() {
        Facts f = withReports(List.of(report(PROD, null, "1000", Map.of())));
        assertThat(reasons(f, MONDAY_10)).containsExactly(reason(ReasonCode.COST_UNKNOWN,
                "no cost known at 9f1c2d3 for prod-app, so the cost rules of production cannot "
                        + "be checked", "run atlantis plan again so Tidegate receives Infracost's "
                        + "figures"));
    }

    @Test
    void denyCostUnknownNamingBothCurrenciesWhenInfracostPricedInAnother() {
        ProjectReport eur = new ProjectReport(PROD, HEAD, Optional.of(
                CostChange.otherCurrency("EUR")), Optional.of(PlanChange.EMPTY));
        // The budget is unknown for the same reason (its own reason, budget-unknown).
        assertThat(reasons(withReports(List.of(eur)), MONDAY_10)).startsWith(reason(
                ReasonCode.COST_UNKNOWN, "no cost known at 9f1c2d3 for prod-app: Infracost "
                        + "reported EUR, the policy's limits are in USD, so the cost rules of "
                        + "production cannot be checked", "run Infracost with currency USD "
                        + "(INFRACOST_CURRENCY) and atlantis plan again"));
    }

    /** Figures stored in EUR are never compared with a policy that later says USD. */
    @Test
    void denyCostUnknownWhenStoredFiguresAreInAnotherCurrencyThanThePolicy() {
        ProjectReport eur = new ProjectReport(PROD, HEAD, Optional.of(new CostChange(
                Optional.of(BigDecimal.ONE), Optional.of(BigDecimal.ONE), Optional.of("EUR"))),
                Optional.of(PlanChange.EMPTY));
        assertThat(DecisionEngine.decide(POLICY, withReports(List.of(eur)), MONDAY_10).codes())
                .contains("cost-unknown");
    }

    @Test
    void allowFiguresInThePolicysCurrency() {
        PolicySet euro = parse("""
                version: 1
                timezone: UTC
                currency: EUR
                roles: { ops: { teams: [acme/ops] } }
                environments:
                  e:
                    match: { projects: ["*"] }
                    cost: { max_monthly_increase: 50 }
                """);
        ProjectReport eur = new ProjectReport(PROD, HEAD, Optional.of(new CostChange(
                Optional.of(BigDecimal.TEN), Optional.of(BigDecimal.TEN), Optional.of("EUR"))),
                Optional.of(PlanChange.EMPTY));
        assertThat(DecisionEngine.decide(euro, withReports(List.of(eur)), MONDAY_10).codes())
                .doesNotContain("cost-unknown", "cost-limit-exceeded");
    }

    @Test
    void reportOfAnOlderCommitIsUnknownForTheHead() {
        ProjectReport old = new ProjectReport(PROD, "0ld0ld0", Optional.of(new CostChange(
                Optional.of(BigDecimal.ONE), Optional.of(BigDecimal.ONE))),
                Optional.of(PlanChange.EMPTY));
        assertThat(DecisionEngine.decide(POLICY, withReports(List.of(old)), MONDAY_10).codes())
                .containsExactly("cost-unknown", "budget-unknown", "resources-unknown");
    }

    @Test
    void costAndResourcesSumOverThePrsProjectsInTheEnvironmentOnly() {
        ProjectRef prod2 = new ProjectRef("prod-db", "environments/prod/db", "default");
        ProjectRef dev = new ProjectRef("dev-app", "environments/dev", "default");
        Facts f = withReports(List.of(report(PROD, "300.00", "900.00", Map.of("aws_instance", 3)),
                report(prod2, "200.01", "700.00", Map.of("aws_instance", 3)),
                report(dev, "9000", "9000", Map.of("aws_instance", 99))));
        Assessment a = DecisionEngine.decide(POLICY, f, MONDAY_10).assessment();
        assertThat(a.cost().flatMap(Assessment.CostStatus::monthlyIncrease))
                .contains(new BigDecimal("500.01"));
        assertThat(a.cost().flatMap(Assessment.CostStatus::monthlyTotal))
                .contains(new BigDecimal("1600.00"));
        assertThat(a.resources()).contains(new Assessment.ResourceStatus("aws_instance", 6, 5));
    }

    @Test
    void budgetWarnsAboveItsShareAndDeniesAboveTheBudget() {
        assertThat(reasons(withReports(List.of(report(PROD, "1", "1500.00", Map.of()))),
                MONDAY_10)).isEmpty();
        assertThat(reasons(withReports(List.of(report(PROD, "1", "1500.01", Map.of()))),
                MONDAY_10)).containsExactly(reason(ReasonCode.BUDGET_WARNING, "the new monthly "
                        + "total $1,500.01 of production is above 75% of its budget of $2,000.00",
                        null));
        assertThat(reasons(withReports(List.of(report(PROD, "1", "2000.01", Map.of()))),
                MONDAY_10)).containsExactly(reason(ReasonCode.BUDGET_EXCEEDED, "the new monthly "
                        + "total $2,000.01 of production exceeds its budget of $2,000.00",
                        "bring the total down by $0.01"));
    }

    @Test
    void unknownTotalSkipsTheBudgetWithANote() {
        Decision d = DecisionEngine.decide(POLICY,
                withReports(List.of(report(PROD, "1", null, Map.of()))), MONDAY_10);
        assertThat(d.isAllowed()).isTrue();
        assertThat(d.reasons()).containsExactly(reason(ReasonCode.BUDGET_UNKNOWN, "the budget of "
                + "production was not checked: its new monthly total is unknown", null));
    }

    @Test
    void resourceLimitKeysAreExactOrAlternativesNeverSubstrings() {
        Facts f = withReports(List.of(report(PROD, "1", "1", Map.of("aws_instance_profile", 9,
                "aws_lb", 2, "aws_alb", 2))));
        assertThat(reasons(f, MONDAY_10)).containsExactly(reason(
                ReasonCode.RESOURCE_LIMIT_EXCEEDED, "this PR creates 4 aws_lb|aws_alb|aws_elb in "
                        + "production; at most 3 may be created per PR",
                "create at most 3 aws_lb|aws_alb|aws_elb (1 fewer)"));
    }

    @Test
    void unknownPlanDeniesResourceLimits() {
        ProjectReport noPlan = new ProjectReport(PROD, HEAD, Optional.of(new CostChange(
                Optional.of(BigDecimal.ONE), Optional.of(BigDecimal.ONE))), Optional.empty());
        assertThat(reasons(withReports(List.of(noPlan)), MONDAY_10)).containsExactly(reason(
                ReasonCode.RESOURCES_UNKNOWN, "no plan known at 9f1c2d3 for prod-app, so the "
                        + "resource limits of production cannot be checked",
                "run atlantis plan again so Tidegate receives the plan"));
    }

    @Test
    void missingLabelChecklistAndSectionAreEachNamed() {
        Facts f = withPr(pr(false, "main", Set.of(), "- [x] a\n- [ ] b\n\n## Rollback plan\n\n"));
        assertThat(reasons(f, MONDAY_10)).containsExactly(
                reason(ReasonCode.LABEL_MISSING, "missing label cost-reviewed",
                        "add the label cost-reviewed"),
                reason(ReasonCode.CHECKLIST_INCOMPLETE, "the PR checklist has 1 unticked item of 2",
                        "tick every checklist item in the PR description"),
                reason(ReasonCode.SECTION_MISSING, "the PR description has no \"Rollback plan\" "
                        + "section with text", "add a \"## Rollback plan\" heading followed by "
                        + "text to the PR description"));
    }

    @Test
    void windowClosedSaysWhenItOpens() {
        assertThat(reasons(allowed(), at("2026-11-23T17:00:00+09:00"))).containsExactly(reason(
                ReasonCode.WINDOW_CLOSED, "production-hours is closed at Mon 2026-11-23 17:00 KST",
                "production-hours opens Tue 2026-11-24 09:00 KST; or an override by devops-lead "
                        + "or cto on this commit lifts it for 2h"));
    }

    @Test
    void freezeNamesItsReasonAndTheNextOpening() {
        assertThat(reasons(allowed(), at("2026-11-27T10:00:00+09:00"))).containsExactly(reason(
                ReasonCode.FREEZE, "production-hours is frozen on Fri 2026-11-27: Maintenance day",
                "production-hours opens Mon 2026-11-30 09:00 KST; or an override by devops-lead "
                        + "or cto on this commit lifts it for 2h"));
    }

    @Test
    void overrideOnTheHeadCommitByAnAllowedRoleLiftsTheWindow() {
        Instant friday = at("2026-11-27T10:00:00+09:00");
        Override o = new Override("cto-lee", HEAD, at("2026-11-27T09:30:00+09:00"), "INC-1");
        Decision d = DecisionEngine.decide(POLICY, withOverrides(o), friday);
        assertThat(d.reasons()).containsExactly(reason(ReasonCode.OVERRIDE_ACTIVE,
                "production-hours is lifted by cto-lee's override (INC-1) until "
                        + "Fri 2026-11-27 11:30 KST", null));
        assertThat(d.assessment().override()).contains(new Assessment.ActiveOverride("cto-lee",
                "INC-1", o.at(), at("2026-11-27T11:30:00+09:00")));
    }

    @Test
    void overrideOnAnOlderCommitByAnotherRoleOrExpiredDoesNotApply() {
        Instant friday = at("2026-11-27T10:00:00+09:00");
        Override older = new Override("cto-lee", "0ld0ld0", at("2026-11-27T09:30:00+09:00"), "a");
        Override wrongRole = new Override("dev-kim", HEAD, at("2026-11-27T09:30:00+09:00"), "b");
        Override expired = new Override("cto-lee", HEAD, at("2026-11-27T08:00:00+09:00"), "c");
        Override future = new Override("cto-lee", HEAD, at("2026-11-27T10:00:01+09:00"), "d");
        assertThat(DecisionEngine.decide(POLICY,
                withOverrides(older, wrongRole, expired, future), friday).codes())
                .containsExactly("freeze");
    }

    @Test
    void overrideLiftsTheWindowAndNothingElse() {
        Facts f = withOverrides(new Override("cto-lee", HEAD, at("2026-11-28T09:30:00+09:00"),
                "INC-2"));
        Facts oneApproval = new Facts(f.command(), f.project(), f.pullRequest(), f.actor(),
                f.teams(), List.of(approved("lead-park")), f.reports(), f.overrides(), f.locks());
        assertThat(DecisionEngine.decide(POLICY, oneApproval, at("2026-11-28T10:00:00+09:00"))
                .codes()).containsExactly("approvals-missing", "override-active");
    }

    @Test
    void lockHeldByAnotherPullRequestBlocks() {
        assertThat(reasons(withLocks(new Lock("production", "acme/infra#41")), MONDAY_10))
                .containsExactly(reason(ReasonCode.LOCK_HELD, "production is locked by "
                        + "acme/infra#41: one apply at a time", "wait until acme/infra#41's "
                        + "apply finishes or its lock expires (30m)"));
    }

    @Test
    void lockHeldByThisSamePullRequestDoesNotBlock() {
        assertThat(reasons(withLocks(new Lock("production", "acme/infra#42"),
                new Lock("develop", "acme/infra#7")), MONDAY_10)).isEmpty();
    }

    @Test
    void planChecksOnlyPlanRulesButTheAssessmentShowsTheApplyPicture() {
        Facts f = withReviews(List.of(approved("lead-park"))).withCommand(Command.PLAN);
        Decision plan = DecisionEngine.decide(POLICY, f, at("2026-11-27T10:00:00+09:00"));
        assertThat(plan.isAllowed()).isTrue();
        assertThat(plan.assessment().approvals().needed()).isEqualTo(2);
        assertThat(plan.assessment().window().map(Assessment.WindowStatus::state))
                .contains(Windows.Status.FROZEN);
        Decision apply = DecisionEngine.decideFor(Command.APPLY, POLICY, f,
                at("2026-11-27T10:00:00+09:00"));
        assertThat(apply.codes()).containsExactly("approvals-missing", "freeze");
    }

    @Test
    void everyReasonIsReturnedAtOnce() {
        Facts f = allowed();
        Facts bad = new Facts(Command.APPLY, PROD, pr(true, "develop", Set.of(), ""), "dev-kim",
                f.teams(), List.of(), List.of(report(PROD, "900", "2500", Map.of("aws_instance", 6))),
                List.of(), List.of(new Lock("production", "acme/infra#1")));
        assertThat(DecisionEngine.decide(POLICY, bad, at("2026-11-28T10:00:00+09:00")).codes())
                .containsExactly("actor-not-allowed", "branch-not-allowed", "draft-pr",
                        "approvals-missing", "label-missing", "checklist-incomplete",
                        "section-missing", "window-closed", "cost-limit-exceeded",
                        "budget-exceeded", "resource-limit-exceeded", "lock-held");
    }

    @Test
    void decideIsPureSameArgumentsSameDecision() {
        assertThat(DecisionEngine.decide(POLICY, allowed(), MONDAY_10))
                .isEqualTo(DecisionEngine.decide(POLICY, allowed(), MONDAY_10));
    }

    @Test
    void allowCannotCarryABlockingReasonNorDenyLackOne() {
        Assessment a = Assessment.none(Command.PLAN, PROD);
        Reason blocking = reason(ReasonCode.FREEZE, "x", null);
        Reason note = reason(ReasonCode.BUDGET_WARNING, "y", null);
        assertThatThrownBy(() -> new Decision.Allow(List.of(blocking), a))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Decision.Deny(List.of(note), a))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(new ArrayList<>(List.of(ReasonCode.values())).stream()
                .map(ReasonCode::key)).contains("no-environment", "resources-unknown");
    }
}
