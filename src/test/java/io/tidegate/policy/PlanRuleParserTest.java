package io.tidegate.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;

/**
 * plan_rules, promotion, each_of, codeowners, enforce and lifts as written, and every misuse
 * reported at once with file:line:column.
 */
class PlanRuleParserTest {
    static PolicyFileException problems(String yaml, boolean gitHub) {
        try {
            PolicyParser.parse(yaml, "p.yaml", gitHub);
        } catch (PolicyFileException e) {
            return e;
        }
        throw new AssertionError("expected problems");
    }

    @Test
    void planRulesPromotionAndEnforceAreRead() throws Exception {
        PolicySet p = PolicyParser.parse("""
                version: 1
                timezone: UTC
                roles: { security: { teams: [acme/security] }, devops: { users: [ops] } }
                environments:
                  staging: { match: { dirs: [stg] } }
                  production:
                    match: { dirs: [prod] }
                    apply:
                      approvals: { each_of: [devops, security], codeowners: true, enforce: false }
                      window: w
                    cost: { max_monthly_increase: 10, enforce: false }
                    resources: { max_created: { aws_instance: 1 }, enforce: false }
                    promotion: { after: staging, same: commit, soak: 30m }
                    plan_rules:
                      - name: iam
                        match: { types: ["aws_iam_*"], addresses: ["module.iam.**"], actions: [create, replace] }
                        approvals: { count: 1, from: [security] }
                        require: { labels: [security-reviewed] }
                        enforce: false
                windows:
                  w:
                    open: [ { days: [mon], from: "09:00", to: "10:00" } ]
                    override: { by: [devops], expires: 1h, lifts: [window, promotion] }
                    enforce: false
                """, "p.yaml");
        Environment prod = p.environment("production").orElseThrow();

        assertThat(prod.planRules()).containsExactly(new PlanChangeRule("iam",
                new PlanChangeRule.Match(List.of(new Glob("aws_iam_*")),
                        List.of(new Glob("module.iam.**")), Set.of("create", "replace")),
                Optional.empty(), Optional.of(new PlanChangeRule.RuleApprovals(1,
                        Set.of("security"))),
                new Requirements(Set.of("security-reviewed"), false, List.of()), false));
        assertThat(prod.promotion()).contains(new Promotion("staging", Promotion.Same.COMMIT,
                Duration.ofMinutes(30), true));
        assertThat(prod.apply().approvals()).isEqualTo(new Environment.Approvals(0, Set.of(),
                true, Set.of("devops", "security"), true, false));
        assertThat(prod.cost().orElseThrow().enforce()).isFalse();
        assertThat(prod.resources().get(0).enforce()).isFalse();
        assertThat(p.window("w").orElseThrow().enforce()).isFalse();
        assertThat(p.window("w").orElseThrow().override().orElseThrow().liftsPromotion())
                .isTrue();
    }

    @Test
    void everyMisuseIsReportedWithItsPosition() {
        PolicyFileException e = problems("""
                version: 1
                timezone: UTC
                roles: { security: { teams: [acme/security] } }
                environments:
                  develop:
                    match: { dirs: [dev] }
                    apply: { enabled: false }
                  staging:
                    match: { dirs: [stg] }
                    promotion: { after: production }
                  production:
                    match: { dirs: [prod] }
                    apply: { approvals: { each_of: [secruity], codeowners: true } }
                    promotion: { after: staging, same: branch }
                    plan_rules:
                      - name: a
                        match: { types: ["AWS_DB"], addresses: ["aws_db_instance", "data.aws_ami.x"], actions: [destroy] }
                        deny: "no"
                        approvals: { count: 1, from: [auditors] }
                      - name: a
                        match: { actions: [delete] }
                  qa:
                    match: { dirs: [qa] }
                    promotion: { after: qa }
                  perf:
                    match: { dirs: [perf] }
                    promotion: { after: develop }
                  load:
                    match: { dirs: [load] }
                    promotion: { after: nowhere }
                """, false);

        assertThat(e.problems()).containsExactly(
                "p.yaml:10:25: promotion cycle staging after production after staging: no "
                        + "apply could ever run in these environments",
                "p.yaml:13:37: unknown role \"secruity\" (defined: security)",
                "p.yaml:13:48: codeowners: true needs GitHub credentials (GITHUB_TOKEN or "
                        + "GITHUB_APP_ID) to read CODEOWNERS; without them every apply it guards"
                        + " is denied",
                "p.yaml:14:25: promotion cycle production after staging after production: no "
                        + "apply could ever run in these environments",
                "p.yaml:14:40: same must be tree, commit or pr, found \"branch\"",
                "p.yaml:16:9: plan rule \"a\" of environment \"production\" has deny and "
                        + "approvals/require: a denied change cannot be approved; split it into "
                        + "two rules",
                "p.yaml:17:26: type \"AWS_DB\" can never match: Terraform resource types are "
                        + "a-z, 0-9 and _ (globs may use *)",
                "p.yaml:17:49: address \"aws_db_instance\" can never match: a resource address"
                        + " is TYPE.NAME, module.M.TYPE.NAME... (use types: for a resource type)",
                "p.yaml:17:68: address \"data.aws_ami.x\" can never match: data sources are "
                        + "only read, plan rules see managed resources",
                "p.yaml:17:97: unknown action \"destroy\" (expected one of: create, update, "
                        + "delete, replace)",
                "p.yaml:19:39: unknown role \"auditors\" (defined: security)",
                "p.yaml:20:9: plan rule \"a\" of environment \"production\" has no deny, "
                        + "approvals or require: it would do nothing",
                "p.yaml:20:9: two plan rules of environment \"production\" are named \"a\"",
                "p.yaml:24:25: environment \"qa\" is promoted after itself: no apply could "
                        + "ever run there",
                "p.yaml:27:25: environment \"perf\" is promoted after develop, where apply is "
                        + "disabled: no apply there could ever succeed",
                "p.yaml:30:25: unknown environment \"nowhere\" (defined: develop, load, perf, "
                        + "production, qa, staging)");
    }

    @Test
    void overrideLiftsMustIncludeTheWindow() {
        PolicyFileException e = problems("""
                version: 1
                timezone: UTC
                roles: { cto: { users: [lee] } }
                environments:
                  production: { match: { dirs: [prod] }, apply: { window: w } }
                windows:
                  w:
                    open: [ { days: [mon], from: "09:00", to: "10:00" } ]
                    override: { by: [cto], expires: 1h, lifts: [promotion, freeze] }
                """, true);

        assertThat(e.problems()).containsExactly(
                "p.yaml:9:48: lifts of override of window \"w\" must include window: an "
                        + "override lifts its window",
                "p.yaml:9:60: unknown lift \"freeze\" (expected one of: window, promotion)");
    }

    @Test
    void defaultPolicyProtectsDataStoresInProduction() throws Exception {
        PolicySet p = PolicyParser.parse(java.nio.file.Path.of("policies", "policy.yaml"));
        Environment prod = p.environment("production").orElseThrow();

        assertThat(prod.planRules()).extracting(PlanChangeRule::name)
                .containsExactly("protect-data");
        assertThat(prod.promotion()).isEmpty();
        assertThatThrownBy(() -> PolicyParser.parse("x: [", "p.yaml"))
                .isInstanceOf(PolicyFileException.class);
    }
}
