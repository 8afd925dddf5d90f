package io.tidegate;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import io.tidegate.http.Readiness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PolicyFileReadinessTest {
    @Test
    void readyOnlyWhenTheParserAcceptsThePolicy() {
        Path file = Path.of("policies", "policy.yaml");
        assertThat(new PolicyFileReadiness(file).check())
                .isEqualTo(Readiness.Check.ready("policy", "policy " + file + " loaded"));
    }

    @Test
    void invalidPolicyNamesItsFirstProblemAndHowManyMore(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("policy.yaml");
        Files.writeString(file, "version: 1\ntimezone: Mars/Base\n");
        assertThat(new PolicyFileReadiness(file).check()).isEqualTo(Readiness.Check.failing(
                "policy", "policy " + file + " is invalid: " + file + ":1:1: missing key "
                        + "\"roles\" in the policy (and 2 more)"));
    }

    @Test
    void missingPolicyIsNotReady(@TempDir Path dir) {
        Path file = dir.resolve("none.yaml");
        assertThat(new PolicyFileReadiness(file).check()).isEqualTo(Readiness.Check.failing(
                "policy", "policy file " + file + " does not exist"));
    }
}
