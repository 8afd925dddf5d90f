package io.tidegate.atlantis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import io.tidegate.Fixtures;
import io.tidegate.Mutations;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Damaged {@code terraform show -json} output (truncated, bytes flipped, values of the wrong
 * type, unknown actions, deep nesting) may only ever yield a {@code PlanChange} or a
 * {@link MalformedPlanException} with a message: anything else would be a 500 at the upload
 * route instead of a clear 400. The timeout is a hang guard, not a speed assertion.
 */
@Tag("slow")
class PlanReaderRobustnessTest {
    private static final long SEED = 20261122L;
    private static final int MUTANTS_PER_FIXTURE = 200;
    private static final List<String> FIXTURES = List.of(
            "terraform/plan.aws.create-update-delete.json", "terraform/plan.aws.create.small.json",
            "terraform/plan.aws.many-resources.create.json",
            "terraform/plan.aws.rds-ec2.tf0.14.json",
            "terraform/plan.aws.update.json", "terraform/plan.null.replace-delete-create.json");
    private final PlanReader reader = new PlanReader();

    /** true: read; false: rejected with a message. Anything else fails naming the input. */
    private boolean check(String label, byte[] json) {
        try {
            reader.read(new ByteArrayInputStream(json));
            return true;
        } catch (MalformedPlanException e) {
            assertThat(e.getMessage()).as(label).isNotBlank();
            return false;
        } catch (IOException | RuntimeException | StackOverflowError e) {
            String text = new String(json, StandardCharsets.UTF_8);
            throw new AssertionError(label + ": " + e + " for input:\n"
                    + (text.length() > 2000 ? text.substring(0, 2000) + "..." : text), e);
        }
    }

    @Test
    void mutatedFixturesAreReadOrAreMalformedPlans() {
        Mutations m = new Mutations(SEED);
        int[] rejected = {0};
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            for (String fixture : FIXTURES) {
                byte[] body = Fixtures.bytes(fixture);
                assertThat(check(fixture, body)).as(fixture + " unchanged").isTrue();
                for (int i = 0; i < MUTANTS_PER_FIXTURE; i++) {
                    if (!check(fixture + " seed " + SEED + " mutant " + i, m.mutate(body))) {
                        rejected[0]++;
                    }
                }
            }
        });
        // a flipped byte inside a skipped string is harmless, so fewer rejections than mutants
        assertThat(rejected[0]).isGreaterThan(FIXTURES.size() * MUTANTS_PER_FIXTURE / 4);
    }

    @Test
    void pathologicalDocumentsAreMalformedPlans() {
        String base = new String(Fixtures.bytes("terraform/plan.aws.create.small.json"),
                StandardCharsets.UTF_8);
        List<String> cases = List.of("", " ", "null", "[]", "\"plan\"", "{}",
                Mutations.nestedSequences(50_000), Mutations.nestedMappings(50_000),
                "{\"format_version\": \"1.2\", \"resource_changes\": "
                        + Mutations.nestedSequences(50_000) + "}",
                "{\"format_version\": \"1.2\", \"prior_state\": "
                        + Mutations.nestedMappings(50_000) + "}",
                base.replaceFirst("\"actions\": *\\[[^\\]]*\\]", "\"actions\": [\"explode\"]"),
                base.replaceFirst("\"actions\": *\\[[^\\]]*\\]", "\"actions\": \"create\""),
                base.replaceFirst("\"resource_changes\": *\\[", "\"resource_changes\": [null, 1, "),
                base.replaceFirst("\"type\": *\"[^\"]*\"", "\"type\": 1" + "0".repeat(5000)),
                base + base, base.replace("\"", "'"));
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            for (int i = 0; i < cases.size(); i++) {
                assertThat(check("case " + i, cases.get(i).getBytes(StandardCharsets.UTF_8)))
                        .as("case " + i).isFalse();
            }
        });
    }
}
