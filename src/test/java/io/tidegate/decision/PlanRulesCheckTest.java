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

/** plan_rules: deny rules, requirement rules, matching by type, address and action. */
class PlanRulesCheckTest {
    static final PolicySet POLICY = parse("""
            version: 1
            timezone: Asia/Seoul
            roles:
              devops:   { teams: [acme/devops] }
              security: { teams: [acme/security] }
            environments:
              production:
                match: { dirs: ["environments/prod/**"] }
                apply:
                  approvals: { count: 1, from: [devops] }
                plan_rules:
                  - name: protect-data
                    match: { types: ["aws_db_instance", "aws_rds_cluster*", "aws_s3_bucket"], actions: [delete, replace] }
                    deny: "Data stores are not deleted or replaced through Atlantis: ask the DBA team"
                  - name: iam-changes
                    match: { types: ["aws_iam_*"], actions: [create, update, delete, replace] }
                    approvals: { count: 1, from: [security] }
                    require: { labels: [security-reviewed] }
                  - name: dns-module
                    match: { addresses: ["module.dns.**"] }
                    approvals: { count: 2 }
                    enforce: false
            """);
    static final String HEAD = "9f1c2d3";
    static final ProjectRef PROD = new ProjectRef("prod", "environments/prod", "default");
    static final Instant NOW = at("2026-11-23T10:00:00+09:00");
    static final Map<String, Set<String>> TEAMS = Map.of("ops-jung", Set.of("acme/devops"),
            "sec-yoon", Set.of("acme/security"));

    static ResourceChange change(String address, String type, boolean create, boolean update,
            boolean delete) {
        return ResourceChange.of(address, type, create, update, delete);
    }

    static Facts facts(Set<String> labels, List<String> approvers, ResourceChange... changes) {
        PullRequest pr = new PullRequest("acme/infra", 7, "main", HEAD, "dev-kim", false, labels,
                "");
        return new Facts(Command.APPLY, PROD, pr, "ops-jung", TEAMS,
                approvers.stream().map(u -> new Review(u, Review.State.APPROVED, HEAD)).toList(),
                List.of(new ProjectReport(PROD, HEAD, Optional.of(new CostChange(
                        Optional.of(BigDecimal.ONE), Optional.of(BigDecimal.TEN))),
                        Optional.of(PlanChange.of(List.of(changes))))),
                List.of(), List.of());
    }

    static Decision decide(Facts f) {
        return DecisionEngine.decide(POLICY, f, NOW);
    }

    @Test
    void denyWhenAProtectedDataStoreIsReplaced() {
        Decision d = decide(facts(Set.of(), List.of("ops-jung"),
                change("module.db.aws_db_instance.main", "aws_db_instance", true, false, true),
                change("aws_instance.web", "aws_instance", true, false, false)));

        assertThat(d.isAllowed()).isFalse();
        assertThat(d.reasons()).containsExactly(new Reason(ReasonCode.PLAN_RULE_DENIED,
                "plan rule protect-data matches replace module.db.aws_db_instance.main in "
                        + "production: denied",
                Optional.of("Data stores are not deleted or replaced through Atlantis: ask the "
                        + "DBA team")));
    }

    @Test
    void denyWhenGlobTypeIsDeletedAndNameEveryMatch() {
        Decision d = decide(facts(Set.of(), List.of("ops-jung"),
                change("aws_rds_cluster.a", "aws_rds_cluster", false, false, true),
                change("aws_rds_cluster_instance.b", "aws_rds_cluster_instance", false, false,
                        true)));

        assertThat(d.codes()).containsExactly("plan-rule-denied");
        assertThat(d.reasons().get(0).message()).isEqualTo("plan rule protect-data matches "
                + "delete aws_rds_cluster.a and delete aws_rds_cluster_instance.b in production:"
                + " denied");
    }

    @Test
    void allowWhenProtectedTypeIsOnlyUpdatedOrCreated() {
        Decision d = decide(facts(Set.of(), List.of("ops-jung"),
                change("aws_db_instance.main", "aws_db_instance", false, true, false),
                change("aws_s3_bucket.new", "aws_s3_bucket", true, false, false)));

        assertThat(d.isAllowed()).isTrue();
        assertThat(d.reasons()).isEmpty();
        assertThat(d.assessment().planRules().get(0)).isEqualTo(new Assessment.PlanRuleStatus(
                "protect-data", List.of(), "deny", true, true));
    }

    @Test
    void typeGlobsNeverMatchAsSubstrings() {
        Decision d = decide(facts(Set.of(), List.of("ops-jung"),
                change("aws_db_instance_automated_backups_replication.x",
                        "aws_db_instance_automated_backups_replication", false, false, true)));

        assertThat(d.isAllowed()).isTrue();
    }

    @Test
    void denyWhenIamChangeLacksSecurityApprovalAndLabel() {
        Decision d = decide(facts(Set.of(), List.of("ops-jung"),
                change("aws_iam_role.ci", "aws_iam_role", true, false, false)));

        assertThat(d.reasons()).containsExactly(
                new Reason(ReasonCode.PLAN_RULE_APPROVALS_MISSING, "plan rule iam-changes "
                        + "matches create aws_iam_role.ci in production, which needs 1 approval "
                        + "from security besides the environment's; 0 counted",
                        Optional.of("needs 1 more approval from security")),
                new Reason(ReasonCode.PLAN_RULE_REQUIREMENTS_MISSING, "plan rule iam-changes "
                        + "matches create aws_iam_role.ci in production, which requires label "
                        + "security-reviewed", Optional.of("needs the label security-reviewed")));
    }

    @Test
    void allowIamChangeWithSecurityApprovalAndLabel() {
        Decision d = decide(facts(Set.of("security-reviewed"), List.of("ops-jung", "sec-yoon"),
                change("aws_iam_role.ci", "aws_iam_role", true, false, false)));

        assertThat(d.isAllowed()).isTrue();
        assertThat(d.assessment().planRules().get(1)).isEqualTo(new Assessment.PlanRuleStatus(
                "iam-changes", List.of("create aws_iam_role.ci"),
                "needs 1 approval from security, label security-reviewed", true, true));
    }

    @Test
    void ruleApprovalFromTheAuthorNeverCounts() {
        Map<String, Set<String>> teams = Map.of("ops-jung", Set.of("acme/devops"), "dev-kim",
                Set.of("acme/security"));
        Facts f = facts(Set.of("security-reviewed"), List.of("ops-jung", "dev-kim"),
                change("aws_iam_role.ci", "aws_iam_role", true, false, false));
        f = new Facts(f.command(), f.project(), f.pullRequest(), f.actor(), teams, f.reviews(),
                f.reports(), f.overrides(), f.locks());

        assertThat(decide(f).codes()).containsExactly("plan-rule-approvals-missing");
    }

    @Test
    void ruleApprovalOnAnOlderCommitNeverCounts() {
        Facts f = facts(Set.of("security-reviewed"), List.of("ops-jung"),
                change("aws_iam_role.ci", "aws_iam_role", true, false, false));
        List<Review> reviews = List.of(new Review("ops-jung", Review.State.APPROVED, HEAD),
                new Review("sec-yoon", Review.State.APPROVED, "0ld0ld0"));
        f = new Facts(f.command(), f.project(), f.pullRequest(), f.actor(), f.teams(), reviews,
                f.reports(), f.overrides(), f.locks());

        assertThat(decide(f).codes()).containsExactly("plan-rule-approvals-missing");
    }

    @Test
    void unenforcedRuleOnlyReportsWouldDeny() {
        Decision d = decide(facts(Set.of(), List.of("ops-jung"),
                change("module.dns.aws_route53_record.www", "aws_route53_record", false, true,
                        false)));

        assertThat(d.isAllowed()).isTrue();
        assertThat(d.codes()).containsExactly("would-deny:plan-rule-approvals-missing");
        assertThat(d.reasons().get(0).message()).isEqualTo("would deny: plan rule dns-module "
                + "matches update module.dns.aws_route53_record.www in production, which needs"
                + " 2 approvals besides the environment's; 1 counted (ops-jung)");
    }

    @Test
    void denyWhenThePlanIsKnownOnlyAsCounts() {
        Facts f = facts(Set.of(), List.of("ops-jung"));
        f = new Facts(f.command(), f.project(), f.pullRequest(), f.actor(), f.teams(),
                f.reviews(), List.of(new ProjectReport(PROD, HEAD, Optional.empty(),
                        Optional.of(new PlanChange(Map.of(), Map.of(), Map.of())))),
                f.overrides(), f.locks());

        Decision d = decide(f);

        assertThat(d.reasons()).containsExactly(new Reason(ReasonCode.PLAN_UNKNOWN,
                "no plan known at 9f1c2d3 for prod, so the plan rules of production cannot be "
                        + "checked", Optional.of("run atlantis plan again so Tidegate receives "
                        + "the plan")));
    }

    @Test
    void denyWhenNoPlanIsKnownForTheHeadCommit() {
        Facts f = facts(Set.of(), List.of("ops-jung"));
        f = new Facts(f.command(), f.project(), f.pullRequest(), f.actor(), f.teams(),
                f.reviews(), List.of(), f.overrides(), f.locks());

        assertThat(decide(f).codes()).containsExactly("plan-unknown");
    }

    @Test
    void replaceIsCreateThenDeleteOrDeleteThenCreate() {
        ResourceChange createFirst = change("aws_s3_bucket.a", "aws_s3_bucket", true, false, true);

        assertThat(createFirst.actions()).containsExactlyInAnyOrder(ResourceChange.Action.CREATE,
                ResourceChange.Action.DELETE, ResourceChange.Action.REPLACE);
        assertThat(createFirst.verb()).isEqualTo("replace");
    }
}
