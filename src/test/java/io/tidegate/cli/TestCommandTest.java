package io.tidegate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import io.tidegate.decision.ReasonCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestCommandTest {
    @Test
    void projectPolicyTestsAllPass() {
        Cli r = Cli.run("test", "policies/");
        List<String> lines = r.lines();
        assertThat(lines.get(lines.size() - 1)).matches("\\d+ passed, 0 failed \\(\\d+ cases in 13 files\\)");
        assertThat(lines.subList(0, lines.size() - 1)).allMatch(l -> l.startsWith("PASS "));
        assertThat(r.exit()).as(r.out()).isEqualTo(0);
    }

    @Test
    void projectPolicyTestsExpectEveryReasonCode() throws IOException {
        Set<String> expected = new TreeSet<>();
        Pattern list = Pattern.compile("reasons: \\[([^\\]]*)\\]");
        try (Stream<Path> files = Files.walk(Path.of("policies", "tests"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).toList()) {
                Matcher m = list.matcher(Files.readString(f));
                while (m.find()) {
                    for (String code : m.group(1).split(",")) {
                        expected.add(code.trim());
                    }
                }
            }
        }
        for (ReasonCode c : ReasonCode.values()) {
            if (c == ReasonCode.POLICY_UNAVAILABLE) {
                continue; // a policy test runs against a valid policy by definition
            }
            if (c.isGateRefusal()) {
                continue; // the gate gives these before the engine, which a test runs
            }
            assertThat(expected).as("a policy test expecting " + c.key()).contains(c.key());
        }
    }

    @Test
    void failingCaseSaysWhatWasExpectedAndWhatCame(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("t.yaml");
        Files.writeString(file, """
                policy: %s
                cases:
                  - name: develop apply is allowed (wrong on purpose)
                    at: 2026-11-23T10:00:00+09:00
                    command: apply
                    project: { name: dev-environment, dir: environments/dev }
                    actor: dev-kim
                    expect: { decision: allow, absent: [command-disabled] }
                  - name: develop plan by a developer
                    at: 2026-11-23T10:00:00+09:00
                    command: plan
                    project: { name: dev-environment, dir: environments/dev }
                    actor: dev-kim
                    teams: { dev-kim: [acme/developers] }
                    expect: { decision: allow }
                """.formatted(Path.of("policies/policy.yaml").toAbsolutePath()));
        Cli r = Cli.run("test", file.toString());
        assertThat(r.lines()).containsExactly(
                "FAIL develop apply is allowed (wrong on purpose): expected allow [] without "
                        + "[command-disabled], got deny [command-disabled]",
                "PASS develop plan by a developer",
                "1 passed, 1 failed (2 cases in 1 file)");
        assertThat(r.exit()).isEqualTo(1);
    }

    @Test
    void unknownReasonCodeIsAnErrorAtItsPlaceAndNoCaseRuns(@TempDir Path dir)
            throws IOException {
        Path file = dir.resolve("t.yaml");
        Files.writeString(file, """
                cases:
                  - name: typo
                    at: 2026-11-23T10:00:00+09:00
                    command: apply
                    project: { dir: environments/dev }
                    expect: { decision: deny, reasons: [freeze-d] }
                """);
        Cli r = Cli.run("test", file.toString());
        assertThat(r.err().lines()).containsExactly(
                file + ":6:41: unknown reason code \"freeze-d\" in expect.reasons",
                NO_CASE_RUN);
        assertThat(r.out()).isEmpty();
        assertThat(r.exit()).isEqualTo(2);
    }

    @Test
    void gateRefusalCodeIsAnErrorAtItsPlaceAndNoCaseRuns(@TempDir Path dir)
            throws IOException {
        Path file = dir.resolve("t.yaml");
        Files.writeString(file, """
                cases:
                  - name: refusal
                    at: 2026-11-23T10:00:00+09:00
                    command: apply
                    project: { dir: environments/dev }
                    expect: { decision: deny, reasons: [head-moved] }
                """);
        Cli r = Cli.run("test", file.toString());
        assertThat(r.err().lines()).containsExactly(
                file + ":6:41: reason code \"head-moved\" in expect.reasons is a gate refusal,"
                        + " which the policy never decides",
                NO_CASE_RUN);
        assertThat(r.exit()).isEqualTo(2);
    }

    private static final String NO_CASE_RUN = "no case was run: fix the files above (every "
            + "YAML file under a test directory is a test file, or a policy a case uses)";

    private static final String GOOD_CASE = """
            cases:
              - name: develop plan by a developer
                at: 2026-11-23T10:00:00+09:00
                command: plan
                project: { name: dev-environment, dir: environments/dev }
                actor: dev-kim
                teams: { dev-kim: [acme/developers] }
                expect: { decision: allow }
            """;

    /** A tests/ folder beside a copy of the project's policy, as in policies/. */
    private static Path testsBesidePolicy(Path dir) throws IOException {
        Files.copy(Path.of("policies/policy.yaml"), dir.resolve("policy.yaml"));
        Path tests = Files.createDirectories(dir.resolve("tests"));
        Files.writeString(tests.resolve("good.yaml"), GOOD_CASE);
        return tests;
    }

    @Test
    void misspeltCasesKeyInADirectoryIsAnErrorNotASkippedFile(@TempDir Path dir)
            throws IOException {
        Path tests = testsBesidePolicy(dir);
        Path typo = tests.resolve("typo.yml");
        Files.writeString(typo, GOOD_CASE.replace("cases:", "case:"));
        Cli r = Cli.run("test", dir.toString());
        assertThat(r.err().lines()).containsExactly(
                typo + ":1:1: unknown key \"case\" in a policy test file (expected one of: "
                        + "policy, cases)",
                typo + ":1:1: missing key \"cases\" in a policy test file (a list of cases)",
                NO_CASE_RUN);
        assertThat(r.exit()).isEqualTo(2);
    }

    @Test
    void yamlSyntaxErrorInADirectoryIsAnErrorAtTheOffendingCharacter(@TempDir Path dir)
            throws IOException {
        Path tests = testsBesidePolicy(dir);
        Path broken = tests.resolve("broken.yaml");
        Files.writeString(broken, GOOD_CASE.replace("    actor: dev-kim", "\tactor: dev-kim"));
        Cli r = Cli.run("test", dir.toString());
        assertThat(r.err().lines()).containsExactly(
                broken + ":6:1: not valid YAML: found character '\\t(TAB)' that cannot start "
                        + "any token. (Do not use \\t(TAB) for indentation)",
                "     actor: dev-kim",
                "    ^",
                NO_CASE_RUN);
        assertThat(r.exit()).isEqualTo(2);
    }

    @Test
    void policyNoCaseUsesIsAnErrorAndAPolicyACaseUsesIsNot(@TempDir Path dir)
            throws IOException {
        Path tests = testsBesidePolicy(dir);
        Files.copy(Path.of("policies/policy.yaml"), tests.resolve("other-policy.yaml"));
        Cli r = Cli.run("test", dir.toString());
        assertThat(r.err().lines()).containsExactly(tests.resolve("other-policy.yaml")
                + ":1:1: a policy no case uses: under a test directory every YAML file is a "
                + "test file (a top-level \"cases:\" list), or a policy a case names with "
                + "\"policy:\" (or the default policy.yaml beside the tests directory)",
                NO_CASE_RUN);
        assertThat(r.exit()).isEqualTo(2);

        Files.writeString(tests.resolve("named.yaml"), "policy: other-policy.yaml\n" + GOOD_CASE);
        Cli again = Cli.run("test", dir.toString());
        assertThat(again.lines()).containsExactly("PASS develop plan by a developer",
                "PASS develop plan by a developer", "2 passed, 0 failed (2 cases in 2 files)");
        assertThat(again.exit()).as(again.err()).isEqualTo(0);
    }

    @Test
    void caseValueOfTheWrongTypeIsAnErrorAtItsPlace(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("t.yaml");
        Files.writeString(file, GOOD_CASE.replace("    actor: dev-kim",
                "    pull_request: { draft: \"maybe\", number: many }\n    actor: dev-kim"));
        Cli r = Cli.run("test", file.toString());
        assertThat(r.err().lines()).containsExactly(
                file + ":6:28: draft must be true or false, found \"maybe\"",
                file + ":6:45: number must be a whole number (0 or more), found \"many\"",
                NO_CASE_RUN);
        assertThat(r.exit()).isEqualTo(2);
    }

    @Test
    void directoryWithoutTestFilesFails(@TempDir Path dir) {
        Cli r = Cli.run("test", dir.toString());
        assertThat(r.lines()).containsExactly("no policy test files found in [" + dir + "]",
                "0 passed, 0 failed");
        assertThat(r.exit()).isEqualTo(1);
    }

    @Test
    void defaultPolicyIsBesideTheTestsDirectorysParent() {
        assertThat(TestCommand.defaultPolicy(Path.of("policies/tests/windows.yaml")))
                .isEqualTo(Path.of("policies/policy.yaml").toAbsolutePath());
    }
}
