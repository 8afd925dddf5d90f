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
        assertThat(lines.get(lines.size() - 1)).matches("\\d+ passed, 0 failed");
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
                "1 passed, 1 failed");
        assertThat(r.exit()).isEqualTo(1);
    }

    @Test
    void unreadableCaseFailsWithItsProblem(@TempDir Path dir) throws IOException {
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
        assertThat(r.lines()).containsExactly("FAIL " + file + ": " + file
                + ": case 1 (typo): unknown reason code \"freeze-d\" in expect.reasons",
                "0 passed, 1 failed");
        assertThat(r.exit()).isEqualTo(1);
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
