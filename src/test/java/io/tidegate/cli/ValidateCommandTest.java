package io.tidegate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ValidateCommandTest {
    @Test
    void validPolicyPrintsOkAndExitsZero() {
        Cli r = Cli.run("validate", "policies/policy.yaml");
        assertThat(r.out()).isEqualTo("OK" + System.lineSeparator());
        assertThat(r.exit()).isEqualTo(0);
    }

    @Test
    void invalidPolicyPrintsEveryProblemAndExitsOne(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("policy.yaml");
        Files.writeString(file, """
                version: 1
                timezone: Asia/Seoul
                roles: { ops: { teams: [acme/ops] } }
                environments:
                  prod:
                    match: { projects: [prod] }
                    apply: { allow: [opps], window: night }
                    cost: { max_monthly_increase: "12,50" }
                """);
        Cli r = Cli.run("validate", file.toString());
        assertThat(r.lines()).containsExactly(
                file + ":7:22: unknown role \"opps\" (defined: ops)",
                file + ":7:37: unknown window \"night\" (none defined; or \"always\")",
                file + ":8:35: max_monthly_increase must be an amount of USD such as 500 or "
                        + "\"120.50\", found \"12,50\"");
        assertThat(r.exit()).isEqualTo(1);
    }

    @Test
    void missingFileIsBadInput(@TempDir Path dir) {
        Cli r = Cli.run("validate", dir.resolve("nope.yaml").toString());
        assertThat(r.err()).isEqualTo(dir.resolve("nope.yaml") + ": no such file"
                + System.lineSeparator());
        assertThat(r.exit()).isEqualTo(2);
    }
}
