package io.tidegate.infracost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import io.tidegate.Fixtures;
import io.tidegate.Mutations;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Damaged Infracost output (truncated, bytes flipped, values of the wrong type, huge numbers,
 * deep nesting) may only ever yield a report or a {@link MalformedInfracostException} with a
 * message: anything else would be a 500 at the upload route instead of a clear 400. The timeout
 * is a hang guard, not a speed assertion.
 */
@Tag("slow")
class InfracostParserRobustnessTest {
    private static final long SEED = 20261122L;
    private static final int MUTANTS_PER_FIXTURE = 300;
    private static final List<String> FIXTURES = List.of("infracost/breakdown.new-resources.json",
            "infracost/breakdown.no-change.json", "infracost/breakdown.plan-json.increase.json",
            "infracost/diff.multi-project.decrease.json",
            "infracost/diff.multi-project.with-metadata.json");
    private final InfracostParser parser = new InfracostParser();

    /** true: parsed; false: rejected with a message. Anything else fails naming the input. */
    private boolean check(String label, byte[] json) {
        try {
            parser.parse(json);
            return true;
        } catch (MalformedInfracostException e) {
            assertThat(e.getMessage()).as(label).isNotBlank();
            return false;
        } catch (RuntimeException | StackOverflowError e) {
            String text = new String(json, StandardCharsets.UTF_8);
            throw new AssertionError(label + ": " + e + " for input:\n"
                    + (text.length() > 2000 ? text.substring(0, 2000) + "..." : text), e);
        }
    }

    @Test
    void mutatedFixturesParseOrAreMalformedInfracost() {
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
        assertThat(rejected[0]).isGreaterThan(FIXTURES.size() * MUTANTS_PER_FIXTURE / 2);
    }

    @Test
    void pathologicalDocumentsAreMalformedInfracost() {
        String base = new String(Fixtures.bytes("infracost/breakdown.no-change.json"),
                StandardCharsets.UTF_8);
        List<String> cases = List.of("", " ", "null", "[]", "\"0.2\"", "{}",
                Mutations.nestedSequences(50_000), Mutations.nestedMappings(50_000),
                base.replaceFirst("\"totalMonthlyCost\": *\"[^\"]*\"",
                        "\"totalMonthlyCost\": \"1e999999999\""),
                base.replaceFirst("\"totalMonthlyCost\": *\"[^\"]*\"",
                        "\"totalMonthlyCost\": 1" + "0".repeat(5000)),
                base.replaceFirst("\"totalMonthlyCost\": *\"[^\"]*\"",
                        "\"totalMonthlyCost\": " + Mutations.nestedMappings(900)),
                base.replaceFirst("\"version\": *\"[^\"]*\"", "\"version\": 0.2"),
                base.replaceFirst("\"projects\": *\\[", "\"projects\": [null, 1, \"x\", "),
                base.replaceFirst("\\{", "{\"version\": \"0.2\", "),
                base + base, base.replace("\"", "'"));
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            for (int i = 0; i < cases.size(); i++) {
                assertThat(check("case " + i, cases.get(i).getBytes(StandardCharsets.UTF_8)))
                        .as("case " + i).isFalse();
            }
            // a byte order mark is not damage: Jackson skips it
            assertThat(check("BOM", ("\ufeff" + base).getBytes(StandardCharsets.UTF_8))).isTrue();
        });
    }
}
