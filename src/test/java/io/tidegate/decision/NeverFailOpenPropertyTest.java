package io.tidegate.decision;

import static io.tidegate.decision.DecisionEngineTest.HEAD;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;

import io.tidegate.policy.Environment;
import io.tidegate.policy.PlanChangeRule;
import io.tidegate.policy.PolicyFileException;
import io.tidegate.policy.PolicyParser;
import io.tidegate.policy.PolicySet;
import io.tidegate.policy.Window;
import io.tidegate.policy.Windows;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The "never fail open" guarantees as properties over seeded random facts: whatever else holds,
 * an apply is never allowed with no environment, on a draft PR, with unknown cost under a cost
 * rule, with unknown resources under limits, with fewer approvals than the environment needs,
 * in a closed window without an override, or while the policy file is broken; and, for the
 * newer rules, with a change an enforced plan rule denies, with the plan's changes unknown under
 * plan rules, without a plan rule's or each_of's approvals, or before a promotion is ready. Facts start from
 * an allowed production apply and each part is spoiled with some probability, so allows occur
 * and the properties are tested near the edge, not only far from it.
 */
@Tag("slow")
class NeverFailOpenPropertyTest {
    private static final long SEED = 20261122L;
    private static final int CASES = 6_000;
    private static final String OLD = "0ld5ha0";
    private static final String TREE = "7ree5ha";
    /** The test policy with enforced plan rules, each_of and promotion. */
    static final PolicySet POWER = DecisionEngineTest.parse("""
            version: 1
            timezone: Asia/Seoul
            roles:
              developers:  { teams: [acme/developers] }
              devops-lead: { teams: [acme/devops-lead] }
              cto:         { users: [cto-lee] }
            environments:
              staging:
                match: { dirs: ["environments/staging/**"] }
              production:
                match: { projects: ["prod-*"], dirs: ["environments/prod/**"] }
                apply:
                  approvals: { count: 1, from: [devops-lead, cto], each_of: [devops-lead, cto] }
                  window: production-hours
                promotion: { after: staging, same: tree, soak: 1h }
                plan_rules:
                  - name: protect-data
                    match: { types: [aws_db_instance], actions: [delete] }
                    deny: "never"
                  - name: load-balancers
                    match: { types: ["aws_lb*"] }
                    approvals: { count: 1, from: [cto] }
            windows:
              production-hours:
                open: [ { days: [mon, tue, wed, thu], from: "09:00", to: "17:00" } ]
                override: { by: [devops-lead, cto], expires: 2h, lifts: [window, promotion] }
            """);
    private static final List<String> LOGINS = List.of("lead-park", "ops-han", "cto-lee",
            "dev-kim", "stranger");
    private static final Map<String, Set<String>> TEAMS = Map.of(
            "lead-park", Set.of("acme/devops-lead"), "ops-han", Set.of("acme/devops-lead"),
            "cto-lee", Set.of("acme/cto"), "dev-kim", Set.of("acme/developers"),
            "senior-yoo", Set.of("acme/senior-developers"));
    private static final List<ProjectRef> PROJECTS = List.of(
            new ProjectRef("prod-app", "environments/prod", "default"),
            new ProjectRef("prod-environment", "environments/prod", "default"),
            new ProjectRef("staging-environment", "environments/staging", "default"),
            new ProjectRef("dev-environment", "environments/dev", "default"),
            new ProjectRef("", "environments/prod/eu", "default"),
            new ProjectRef("sandbox", "sandbox", "default"),
            new ProjectRef("", "elsewhere", "other"));
    /** Monday 2026-11-23 00:00 Seoul; cases fall anywhere in the four weeks after. */
    private static final Instant START = DecisionEngineTest.at("2026-11-23T00:00:00+09:00");

    private final Random random = new Random(SEED);

    private boolean chance(int percent) {
        return random.nextInt(100) < percent;
    }

    private <T> T pick(List<T> from) {
        return from.get(random.nextInt(from.size()));
    }

    private Facts randomFacts() {
        ProjectRef project = chance(85) ? PROJECTS.get(random.nextInt(2)) : pick(PROJECTS);
        Set<String> labels = chance(92) ? Set.of("cost-reviewed") : Set.of();
        String body = chance(92) ? DecisionEngineTest.BODY
                + (chance(50) ? "\n## Business justification\nNeeded.\n" : "")
                : pick(List.of("", "- [ ] staging tested\n## Rollback plan\nx\n",
                        "## Rollback plan"));
        PullRequest pr = new PullRequest("acme/infra", 42, chance(92) ? "main"
                : pick(List.of("staging", "feature/x")), HEAD, chance(92) ? "dev-kim"
                : pick(LOGINS), chance(8), labels, body);
        List<Review> reviews = new ArrayList<>();
        if (chance(92)) {
            reviews.add(new Review("lead-park", Review.State.APPROVED, HEAD));
            reviews.add(new Review("cto-lee", Review.State.APPROVED, HEAD));
        }
        int extra = random.nextInt(3);
        for (int i = 0; i < extra; i++) {
            reviews.add(new Review(pick(LOGINS), pick(List.of(Review.State.values())),
                    chance(70) ? HEAD : OLD));
        }
        if (chance(20)) {
            java.util.Collections.shuffle(reviews, random);
        }
        List<ProjectReport> reports = new ArrayList<>();
        if (chance(92)) {
            reports.add(new ProjectReport(project, chance(92) ? HEAD : OLD,
                    chance(92) ? Optional.of(new CostChange(money(9_000), money(100_000)))
                            : Optional.empty(),
                    chance(92) ? Optional.of(randomPlan()) : Optional.empty()));
        }
        List<Override> overrides = chance(15) ? List.of(new Override(pick(LOGINS),
                chance(80) ? HEAD : OLD, START.plus(Duration.ofMinutes(random.nextInt(40_000))),
                "hotfix")) : List.of();
        List<Lock> locks = chance(8) ? List.of(new Lock("production", "acme/infra#7"))
                : List.of();
        return new Facts(chance(80) ? Command.APPLY : Command.PLAN, project, pr,
                chance(92) ? "lead-park" : pick(LOGINS), TEAMS, reviews, reports, overrides,
                locks).withPromotionFacts(chance(92) ? Optional.of(TREE) : Optional.empty(),
                        randomApplies());
    }

    /** Some instances; near the plan rules' edges a data store or load balancer change. */
    private PlanChange randomPlan() {
        List<ResourceChange> changes = new ArrayList<>();
        int instances = random.nextInt(chance(85) ? 4 : 9);
        for (int i = 0; i < instances; i++) {
            changes.add(ResourceChange.of("aws_instance.i" + i, "aws_instance", true, false,
                    false));
        }
        if (chance(15)) {
            boolean create = chance(50);
            boolean delete = !create || chance(50);
            changes.add(ResourceChange.of("module.db.aws_db_instance.main", "aws_db_instance",
                    create, !create && !delete, delete));
        }
        if (chance(15)) {
            changes.add(ResourceChange.of("aws_lb.front", "aws_lb", false, true, false));
        }
        // Sometimes only the counts are known (a report stored before addresses were kept).
        PlanChange p = PlanChange.of(changes);
        return chance(8) ? new PlanChange(p.createdByType(), p.updatedByType(),
                p.deletedByType()) : p;
    }

    /** Staging applies of the head's tree or another, around the one-hour soak. */
    private List<PriorApply> randomApplies() {
        List<PriorApply> out = new ArrayList<>();
        int n = random.nextInt(3);
        for (int i = 0; i < n; i++) {
            out.add(new PriorApply(chance(85) ? "staging" : "develop", "acme/infra", 41, OLD,
                    Optional.of(chance(80) ? TREE : "0ther7ree"),
                    START.plus(Duration.ofMinutes(random.nextInt(40_000)))));
        }
        return out;
    }

    /** Mostly within the limits (increase 500, budget 2000 with 1000 spent), sometimes not. */
    private Optional<BigDecimal> money(int typicalCents) {
        if (!chance(92)) {
            return Optional.empty();
        }
        return Optional.of(BigDecimal.valueOf(random.nextInt(chance(85) ? typicalCents
                : 500_000), 2));
    }

    private Instant randomInstant() {
        return START.plus(Duration.ofMinutes(random.nextInt(4 * 7 * 24 * 60)));
    }

    /** Every guarantee this apply breaks, by name; an allow must break none. */
    static List<String> guaranteesAgainstAllowing(PolicySet policy, Facts f, Instant now) {
        List<String> out = new ArrayList<>();
        if (policy.fileProblem().isPresent() && f.command() == Command.APPLY) {
            out.add("the policy file is broken");
        }
        Optional<Environment> env = DecisionEngine.environmentFor(policy, f.project());
        if (env.isEmpty()) {
            out.add("no environment");
            return out;
        }
        if (f.command() != Command.APPLY) {
            return out;
        }
        Environment e = env.get();
        if (f.pullRequest().draft()) {
            out.add("draft PR");
        }
        Optional<ProjectReport> atHead = f.reports().stream()
                .filter(r -> r.project().equals(f.project())
                        && r.commitSha().equals(f.pullRequest().headSha()))
                .findFirst();
        boolean costRule = e.cost().isPresent() || !policy.costApprovals().isEmpty();
        if (costRule && atHead.flatMap(ProjectReport::cost)
                .flatMap(CostChange::monthlyIncrease).isEmpty()) {
            out.add("unknown cost with a cost rule");
        }
        if (!e.resources().isEmpty() && atHead.flatMap(ProjectReport::plan).isEmpty()) {
            out.add("unknown resources with limits");
        }
        if (approversAtMost(policy, e, f) < e.apply().approvals().count()) {
            out.add("fewer approvals than needed");
        }
        out.addAll(newerRules(policy, e, f, now));
        if (!e.apply().window().equals(Environment.ApplyRule.ALWAYS) && f.overrides().isEmpty()) {
            Window w = policy.window(e.apply().window()).orElseThrow();
            if (!Windows.state(w, now).isOpen()) {
                out.add("window closed without override");
            }
        }
        return out;
    }

    /** The guarantees of plan rules, each_of and promotion (enforced ones only). */
    private static List<String> newerRules(PolicySet policy, Environment e, Facts f,
            Instant now) {
        List<String> out = new ArrayList<>();
        Optional<List<ResourceChange>> changes = f.reports().stream()
                .filter(r -> r.project().equals(f.project())
                        && r.commitSha().equals(f.pullRequest().headSha()))
                .findFirst().flatMap(ProjectReport::plan).flatMap(PlanChange::changes);
        for (PlanChangeRule rule : e.planRules()) {
            if (!rule.enforce()) {
                continue;
            }
            if (changes.isEmpty()) {
                out.add("plan changes unknown under plan rules");
                continue;
            }
            boolean matched = changes.get().stream().anyMatch(c -> rule.match().matches(
                    c.address(), c.type(), c.actions().stream()
                            .map(ResourceChange.Action::word)
                            .toList()));
            if (matched && rule.deny().isPresent()) {
                out.add("plan rule " + rule.name() + " denies");
            }
            if (matched && rule.approvals().isPresent() && approversAtMost(policy,
                    rule.approvals().get().from(), f) < rule.approvals().get().count()) {
                out.add("plan rule " + rule.name() + " lacks approvals");
            }
        }
        for (String role : e.apply().approvals().eachOf()) {
            if (approversAtMost(policy, Set.of(role), f) == 0) {
                out.add("no approval from " + role + " (each_of)");
            }
        }
        e.promotion().filter(p -> p.enforce() && f.overrides().isEmpty()).ifPresent(p -> {
            boolean ready = f.headTree().isPresent() && f.applies().stream().anyMatch(a ->
                    a.environment().equals(p.after()) && a.treeSha().equals(f.headTree())
                            && !a.finishedAt().plus(p.soak()).isAfter(now));
            if (!ready) {
                out.add("promotion not ready");
            }
        });
        return out;
    }

    /**
     * More approvals than the engine can possibly count: distinct approvers other than the
     * author who hold a counting role, whatever commit they approved.
     */
    private static int approversAtMost(PolicySet policy, Environment e, Facts f) {
        return approversAtMost(policy, e.apply().approvals().from(), f);
    }

    private static int approversAtMost(PolicySet policy, Set<String> from, Facts f) {
        Set<String> approvers = new LinkedHashSet<>();
        for (Review r : f.reviews()) {
            if (r.state() == Review.State.APPROVED && !r.user().equals(f.pullRequest().author())
                    && (from.isEmpty() || policy.hasAnyRole(from, r.user(), f.teamsOf(r.user())))) {
                approvers.add(r.user());
            }
        }
        return approvers.size();
    }

    private void checkProperties(String name, PolicySet policy) {
        int allows = 0;
        int guarded = 0;
        for (int i = 0; i < CASES; i++) {
            Facts f = randomFacts();
            Instant now = random.nextInt(4) == 0 ? DecisionEngineTest.MONDAY_10 : randomInstant();
            List<String> broken = guaranteesAgainstAllowing(policy, f, now);
            Decision d = DecisionEngine.decide(policy, f, now);
            if (d instanceof Decision.Allow) {
                allows++;
                if (!broken.isEmpty()) {
                    fail(name + " seed " + SEED + " case " + i + ": allowed although " + broken
                            + "\nfacts: " + f + "\nat " + now + "\ndecision: " + d);
                }
            } else if (!broken.isEmpty()) {
                guarded++;
            }
        }
        System.out.println(name + ": " + CASES + " cases, " + allows + " allowed, " + guarded
                + " denied where a guarantee demanded it");
        // both sides must be well populated, or the properties were tested nowhere near an edge
        assertThat(allows).as(name + " allows").isGreaterThan(CASES / 50);
        assertThat(guarded).as(name + " denials a guarantee demanded").isGreaterThan(CASES / 4);
    }

    @Test
    void noApplyIsAllowedWhenAnyGuaranteeDemandsADenial() {
        checkProperties("test policy", DecisionEngineTest.POLICY);
    }

    @Test
    void theSeedPolicyNeverAllowsWhenAnyGuaranteeDemandsADenial()
            throws IOException, PolicyFileException {
        checkProperties("seed policy", PolicyParser.parse(Path.of("policies", "policy.yaml")));
    }

    @Test
    void planRulesEachOfAndPromotionNeverAllowWhenAGuaranteeDemandsADenial() {
        checkProperties("power policy", POWER);
    }

    @Test
    void whileThePolicyFileIsBrokenNoApplyIsAllowedAndPlansStillAre() {
        PolicySet broken = DecisionEngineTest.POLICY.withFileProblem("p.yaml:3:1: bad");
        int plansAllowed = 0;
        for (int i = 0; i < CASES / 4; i++) {
            Facts f = randomFacts();
            Decision d = DecisionEngine.decide(broken, f, DecisionEngineTest.MONDAY_10);
            if (f.command() == Command.APPLY) {
                assertThat(d).as("case " + i).isInstanceOf(Decision.Deny.class);
                if (DecisionEngine.environmentFor(broken, f.project()).isPresent()) {
                    assertThat(d.reasons().get(0).code()).isEqualTo(ReasonCode.POLICY_UNAVAILABLE);
                }
            } else if (d instanceof Decision.Allow) {
                plansAllowed++;
            }
        }
        assertThat(plansAllowed).isPositive();
        // the baseline apply that the intact policy allows
        assertThat(DecisionEngine.decide(DecisionEngineTest.POLICY, DecisionEngineTest.allowed(),
                DecisionEngineTest.MONDAY_10)).isInstanceOf(Decision.Allow.class);
        assertThat(DecisionEngine.decide(broken, DecisionEngineTest.allowed(),
                DecisionEngineTest.MONDAY_10).reasons()).extracting(Reason::code)
                .containsExactly(ReasonCode.POLICY_UNAVAILABLE);
    }

    @Test
    void withoutAnyPolicyEveryCommandIsDeniedNamingTheProblem() {
        PolicySet none = PolicySet.unavailable("policy.yaml:1:1: the file is empty");
        for (int i = 0; i < 1000; i++) {
            Facts f = randomFacts();
            Decision d = DecisionEngine.decide(none, f, randomInstant());
            assertThat(d).isInstanceOf(Decision.Deny.class);
            assertThat(d.reasons()).extracting(Reason::code)
                    .containsExactly(ReasonCode.POLICY_UNAVAILABLE);
            assertThat(d.reasons().get(0).message()).endsWith("policy.yaml:1:1: the file is empty");
        }
    }
}
