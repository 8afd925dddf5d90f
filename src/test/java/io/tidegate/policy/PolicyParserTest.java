package io.tidegate.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;

class PolicyParserTest {
    private static final String HEAD = "version: 1\ntimezone: Asia/Seoul\n"
            + "roles:\n  ops: { teams: [acme/ops] }\n";

    private static List<String> problems(String yaml) {
        PolicyFileException e = catchThrowableOfType(PolicyFileException.class,
                () -> PolicyParser.parse(yaml, "p.yaml"));
        assertThat(e).as("expected the policy to be rejected").isNotNull();
        return e.problems();
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = PolicyParserTest.class.getResourceAsStream("/policies/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void projectPolicyParsesIntoTheSeedRules() throws Exception {
        PolicySet p = PolicyParser.parse(Path.of("policies", "policy.yaml"));
        assertThat(p.timezone()).isEqualTo(ZoneId.of("Asia/Seoul"));
        assertThat(p.environments()).extracting(Environment::name)
                .containsExactly("develop", "staging", "production");
        Environment prod = p.environment("production").orElseThrow();
        assertThat(prod.apply().approvals())
                .isEqualTo(new Environment.Approvals(2, Set.of("devops-lead", "cto"), true));
        assertThat(prod.apply().lockTtl()).contains(Duration.ofMinutes(30));
        assertThat(prod.cost().flatMap(CostRule::maxMonthlyIncrease))
                .contains(new BigDecimal("500"));
        assertThat(prod.cost().flatMap(CostRule::budget))
                .contains(new CostRule.Budget(new BigDecimal("2000"), new BigDecimal("75")));
        assertThat(p.environment("develop").orElseThrow().apply().enabled()).isFalse();
        assertThat(p.environmentFor("prod-environment", "environments/prod", "default"))
                .map(Environment::name).contains("production");
        assertThat(p.window("production-hours").orElseThrow().override())
                .contains(new Window.WindowOverride(Set.of("devops-lead", "cto"),
                        Duration.ofHours(2)));
    }

    @Test
    void notificationsRouteTheSeedEvents() throws Exception {
        NotificationRules n = PolicyParser.parse(Path.of("policies", "policy.yaml"))
                .notifications();
        NotificationRules.Rule requested = n.rules().get(NotificationRules.Event.APPLY_REQUESTED);
        assertThat(requested.slack()).containsExactly("#infra-approvals");
        assertThat(requested.mentionsFor("production")).containsExactly("@devops-lead", "@cto");
        assertThat(requested.mentionsFor("staging")).containsExactly("@devops-team");
        NotificationRules.Rule failed = n.rules().get(NotificationRules.Event.APPLY_FAILED);
        assertThat(failed.mentionsFor("staging")).containsExactly("@devops-oncall");
        assertThat(failed.email()).isTrue();
        assertThat(n.rules().get(NotificationRules.Event.APPLY_COMPLETED).slack())
                .containsExactly("#general", "#infra-review");
        assertThat(n.rules().get(NotificationRules.Event.PLAN_COMPLETED).slack())
                .containsExactly("#infra-review");
        assertThat(n.rules().get(NotificationRules.Event.OVERRIDE_USED).email()).isTrue();
    }

    @Test
    void currencyIsUsdUnlessThePolicyNamesAnotherIsoCode() throws Exception {
        String base = "version: 1\ntimezone: UTC\n%sroles: { ops: { users: [a] } }\n"
                + "environments: { e: { match: { projects: [\"*\"] } } }\n";
        assertThat(PolicyParser.parse(base.formatted(""), "p.yaml").currency()).isEqualTo("USD");
        assertThat(PolicyParser.parse(base.formatted("currency: EUR\n"), "p.yaml").currency())
                .isEqualTo("EUR");
    }

    @Test
    void rejectCurrencyThatIsNotAnUpperCaseIso4217Code() {
        String base = "version: 1\ntimezone: UTC\ncurrency: %s\nroles: { ops: { users: [a] } }\n"
                + "environments: { e: { match: { projects: [\"*\"] } } }\n";
        assertThat(problems(base.formatted("eur"))).containsExactly("p.yaml:3:11: unknown "
                + "currency \"eur\": expected an ISO 4217 code in upper case such as USD or EUR");
        assertThat(problems(base.formatted("XYZ"))).containsExactly("p.yaml:3:11: unknown "
                + "currency \"XYZ\": expected an ISO 4217 code in upper case such as USD or EUR");
    }

    @Test
    void everyProblemIsReportedAtOnceWithFileLineAndColumn() throws Exception {
        assertThat(problems(resource("invalid-many-problems.yaml"))).containsExactly(
                "p.yaml:1:10: unsupported version 2: this Tidegate reads version 1",
                "p.yaml:2:11: unknown timezone \"Asia/Seol\": expected an IANA zone such as "
                        + "Asia/Seoul or America/New_York",
                "p.yaml:4:45: unknown key \"user\" in role \"devops-lead\" (expected one of: "
                        + "users, teams)",
                "p.yaml:5:3: role \"nobody\" has no users or teams: nobody would hold it",
                "p.yaml:10:15: unknown role \"devops-leed\" (defined: devops-lead, nobody)",
                "p.yaml:11:7: unknown key \"aprovals\" in apply of environment \"production\" "
                        + "(expected one of: enabled, allow, approvals, require, window, lock)",
                "p.yaml:12:15: unknown window \"prod-hours\" (defined: production-hours; "
                        + "or \"always\")",
                "p.yaml:14:29: max_monthly_increase must be an amount of USD such as 500 or "
                        + "\"120.50\", found \"five hundred\"",
                "p.yaml:15:3: environment \"prod-eu\" is unreachable: environment \"production\" "
                        + "comes first and matches every project it matches",
                "p.yaml:19:15: unknown timezone \"Mars/Olympus\": expected an IANA zone such as "
                        + "Asia/Seoul or America/New_York",
                "p.yaml:20:32: unknown day \"funday\": expected mon, tue, wed, thu, fri, sat or sun",
                "p.yaml:20:47: bad time \"9:00\": expected HH:MM from 00:00 to 24:00, quoted",
                "p.yaml:20:59: bad time \"25:00\": expected HH:MM from 00:00 to 24:00, quoted",
                "p.yaml:22:18: bad dates \"12-32..12-26\": expected MM-DD..MM-DD (every year), "
                        + "YYYY-MM-DD..YYYY-MM-DD, or one such date",
                "p.yaml:23:20: bad monthly \"last-fryday\": expected first|second|third|fourth|"
                        + "fifth|last (or 1st..5th) and a day, such as last-friday or 2nd-tuesday",
                "p.yaml:24:18: dates \"2027-02-09..2027-02-05\" end before they start");
    }

    @Test
    void malformedRulesAreEachReportedWordForWord() throws Exception {
        assertThat(problems(resource("invalid-more-problems.yaml"))).containsExactly(
                "p.yaml:4:18: team \"devops\" must be written org/team-slug",
                "p.yaml:7:12: match of environment \"a\" is empty: give projects, dirs or "
                        + "workspaces",
                "p.yaml:9:24: projects of environment \"b\" is empty: it would match nothing "
                        + "(leave the key out to match anything)",
                "p.yaml:10:15: branches must be a list, found \"main\"",
                "p.yaml:12:16: enabled must be true or false, found \"yes\"",
                "p.yaml:13:20: ttl must be a duration such as 30m, 2h or 1d, found \"forever\"",
                "p.yaml:15:19: over_limit of environment \"b\" needs max_monthly_increase: "
                        + "there is no limit to exceed",
                "p.yaml:15:32: approvals must be a whole number (0 or more), found \"two\"",
                "p.yaml:16:48: warn_at_percent must be at most 100, found 120",
                "p.yaml:19:13: open slot from 10:00 to 10:00 is ambiguous: write 00:00 to "
                        + "24:00 for a whole day",
                "p.yaml:20:15: closed entry of window \"w\" needs exactly one of \"dates\" or "
                        + "\"monthly\"",
                "p.yaml:20:68: missing key \"reason\" in closed entry of window \"w\"",
                "p.yaml:21:15: missing key \"expires\" in override of window \"w\"",
                "p.yaml:22:10: window \"empty\" has no open slots: it would never open",
                "p.yaml:25:5: two cost_approvals rows start above 100.0");
    }

    @Test
    void singleDatesAndOrdinalWeekdaysParse() throws Exception {
        PolicySet p = PolicyParser.parse(HEAD + "environments:\n  e: { match: { projects: [a] } }\n"
                + "windows:\n  w:\n    open: [ { days: [mon], from: \"09:00\", to: \"17:00\" } ]\n"
                + "    closed: [ { dates: \"2027-03-01\", reason: Holiday },"
                + " { monthly: first-monday, reason: Patch day } ]\n", "p.yaml");
        assertThat(p.window("w").orElseThrow().closed()).containsExactly(
                new ClosedDates.Between(java.time.LocalDate.of(2027, 3, 1),
                        java.time.LocalDate.of(2027, 3, 1), "Holiday"),
                new ClosedDates.Monthly(1, java.time.DayOfWeek.MONDAY, "Patch day"));
    }

    @Test
    void unknownTopLevelKeyIsATypoNotSilentlyIgnored() {
        assertThat(problems(HEAD + "environments:\n  e: { match: { projects: [a] } }\n"
                + "windos: {}\n")).containsExactly("p.yaml:7:1: unknown key \"windos\" in the "
                + "policy (expected one of: version, timezone, roles, environments, "
                + "cost_approvals, windows, notifications, freeze, repos, currency)");
    }

    @Test
    void missingRequiredKeysAreNamed() {
        assertThat(problems("roles: {}\n")).containsExactly(
                "p.yaml:1:1: missing key \"version\" in the policy",
                "p.yaml:1:1: missing key \"timezone\" in the policy",
                "p.yaml:1:1: missing key \"environments\" in the policy");
    }

    @Test
    void overlappingEnvironmentsAreRejected() {
        assertThat(problems(HEAD + "environments:\n"
                + "  a: { match: { projects: [\"prod-*\"] } }\n"
                + "  b: { match: { dirs: [\"environments/prod/**\"] } }\n"))
                .containsExactly("p.yaml:7:3: environment \"b\" overlaps environment \"a\": a "
                        + "project can match both; make their matches disjoint");
    }

    @Test
    void moneyMustBeNumericAndNeverNegative() {
        assertThat(problems(HEAD + "environments:\n  e:\n    match: { projects: [a] }\n"
                + "    cost: { max_monthly_increase: -5, budget: { monthly: 1e3 } }\n"))
                .containsExactly(
                        "p.yaml:8:35: max_monthly_increase must be an amount of USD such as 500 "
                                + "or \"120.50\", found \"-5\"",
                        "p.yaml:8:58: monthly must be an amount of USD such as 500 or "
                                + "\"120.50\", found \"1e3\"");
    }

    @Test
    void moneyKeepsItsDecimalTextExactly() throws Exception {
        PolicySet p = PolicyParser.parse(HEAD + "environments:\n  e:\n"
                + "    match: { projects: [a] }\n    cost: { max_monthly_increase: 100.10 }\n",
                "p.yaml");
        assertThat(p.environment("e").orElseThrow().cost().orElseThrow().maxMonthlyIncrease())
                .contains(new BigDecimal("100.10"));
    }

    @Test
    void duplicateKeysAreReported() {
        assertThat(problems(HEAD + "environments:\n  e: { match: { projects: [a] } }\n"
                + "  e: { match: { projects: [b] } }\n"))
                .containsExactly("p.yaml:7:3: duplicate key \"e\"");
    }

    @Test
    void notificationMentionsMustNameEnvironments() {
        assertThat(problems(HEAD + "environments:\n  e: { match: { projects: [a] } }\n"
                + "notifications:\n  apply_requested: { mention: { prod: [\"@x\"] } }\n"
                + "  apply_exploded: {}\n"))
                .containsExactly(
                        "p.yaml:8:33: unknown environment \"prod\" (defined: e)",
                        "p.yaml:9:3: unknown key \"apply_exploded\" in notifications (expected "
                                + "one of: plan_completed, apply_requested, apply_completed, "
                                + "apply_failed, override_used, budget_warning, freeze_blocked, "
                                + "freeze_started, freeze_ended, lock_released)");
    }

    @Test
    void checklistOnlyAcceptsComplete() {
        assertThat(problems(HEAD + "environments:\n  e:\n    match: { projects: [a] }\n"
                + "    apply: { require: { checklist: done } }\n"))
                .containsExactly("p.yaml:8:36: checklist must be \"complete\" (or left out), "
                        + "found \"done\"");
    }

    @Test
    void resourceKeysMustBeTypeNamesOrGlobs() {
        assertThat(problems(HEAD + "environments:\n  e:\n    match: { projects: [a] }\n"
                + "    resources: { max_created: { \"aws_lb||aws elb\": 3 } }\n"))
                .containsExactly(
                        "p.yaml:8:33: bad resource type \"\" in \"aws_lb||aws elb\": expected "
                                + "Terraform type names or globs (a-z, 0-9, _, *) separated by |",
                        "p.yaml:8:33: bad resource type \"aws elb\" in \"aws_lb||aws elb\": "
                                + "expected Terraform type names or globs (a-z, 0-9, _, *) "
                                + "separated by |");
    }

    @Test
    void brokenYamlIsOneLocatedProblem() {
        assertThat(problems("version: 1\nroles: [a\n")).containsExactly("p.yaml:3:1: not "
                + "valid YAML: expected ',' or ']', but got <stream end> (while parsing a flow "
                + "sequence started at 2:8)");
    }

    private static List<String> report(String yaml) {
        PolicyFileException e = catchThrowableOfType(PolicyFileException.class,
                () -> PolicyParser.parse(yaml, "p.yaml"));
        assertThat(e).as("expected the policy to be rejected").isNotNull();
        return e.report();
    }

    @Test
    void tabIsReportedOnItsOwnLineWithTheLineAndACaret() {
        assertThat(report(HEAD + "environments:\n  e:\n    match: { projects: [a] }\n"
                + "\tplan: {}\n")).containsExactly("p.yaml:8:1: not valid YAML: found character "
                + "'\\t(TAB)' that cannot start any token. (Do not use \\t(TAB) for "
                + "indentation)", "     plan: {}", "    ^");
    }

    @Test
    void unclosedBraceIsReportedWhereTheParserGaveUpNotWhereTheBraceOpened() {
        assertThat(report(HEAD + "environments:\n  e: { match: { projects: [a] }\n"
                + "windows: {}\n")).containsExactly("p.yaml:7:1: not valid YAML: expected ',' "
                + "or '}', but got <scalar> (while parsing a flow mapping started at 6:6)",
                "    windows: {}", "    ^");
    }

    @Test
    void badIndentIsReportedAtTheOffendingKey() {
        assertThat(report(HEAD + "environments:\n  e:\n    match: { projects: [a] }\n"
                + "     plan: {}\n")).containsExactly("p.yaml:8:6: not valid YAML: expected "
                + "<block end>, but found '<block mapping start>' (while parsing a block mapping "
                + "started at 7:5)", "         plan: {}", "         ^");
    }

    @Test
    void windowNamedAlwaysIsReserved() {
        assertThat(problems(HEAD + "environments:\n  e: { match: { projects: [a] } }\n"
                + "windows:\n  always: { open: [] }\n"))
                .containsExactly("p.yaml:8:3: window name \"always\" is reserved: it means no "
                        + "window (apply at any time)");
    }

    @Test
    void slotPastMidnightAndWholeDayParse() throws Exception {
        PolicySet p = PolicyParser.parse(HEAD + "environments:\n  e: { match: { projects: [a] } }\n"
                + "windows:\n  w:\n    timezone: America/New_York\n"
                + "    open: [ { days: [fri], from: \"22:00\", to: \"02:00\" },"
                + " { days: [sat], from: \"00:00\", to: \"24:00\" } ]\n", "p.yaml");
        Window w = p.window("w").orElseThrow();
        assertThat(w.zone()).isEqualTo(ZoneId.of("America/New_York"));
        assertThat(w.open()).allMatch(Window.Slot::crossesMidnight);
        assertThat(w.override()).isEqualTo(Optional.empty());
    }

    @Test
    void aSecondYamlDocumentIsAProblemNotSilentlyIgnored() {
        assertThat(problems(HEAD + "environments:\n  e: { match: { projects: [a] } }\n"
                + "---\nversion: 2\n")).containsExactly("p.yaml:8:1: a second YAML document: a "
                + "policy file holds one document (remove the \"---\" line)");
    }

    @Test
    void policyCarriesTheHashOfItsText() throws Exception {
        String text = HEAD + "environments:\n  e: { match: { projects: [a] } }\n";
        assertThat(PolicyParser.parse(text, "p.yaml").sha256())
                .isEqualTo(PolicyParser.sha256(text))
                .isEqualTo(java.util.HexFormat.of().formatHex(java.security.MessageDigest
                        .getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8))));
    }
}
