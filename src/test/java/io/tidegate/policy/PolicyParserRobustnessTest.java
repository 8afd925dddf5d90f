package io.tidegate.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import io.tidegate.Mutations;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Damaged policies (truncated, characters flipped, lines lost, values of the wrong type, huge
 * numbers, impossible dates, times and zones, deep nesting, alias bombs) may only ever yield a
 * {@link PolicySet} or a {@link PolicyFileException} whose every line is located
 * ({@code file:line:column: message}): anything else would crash {@code tidegate validate} or
 * leave a reload half done. The timeouts are a hang guard, not a speed assertion.
 */
@Tag("slow")
class PolicyParserRobustnessTest {
    private static final long SEED = 20261122L;
    private static final int MUTANTS = 1000;
    private static final Pattern LOCATED = Pattern.compile("fuzz\\.yaml:\\d+:\\d+: \\S.*",
            Pattern.DOTALL);

    /** Which way one input went; a failure names the input for replay. */
    private record Outcome(boolean parsed, List<String> problems) {}

    private static Outcome parse(String text) {
        try {
            PolicyParser.parse(text, "fuzz.yaml");
            return new Outcome(true, List.of());
        } catch (PolicyFileException e) {
            return new Outcome(false, e.problems());
        }
    }

    /** Parses and checks the rule; any other exception fails naming the input. */
    private static Outcome check(String label, String text) {
        Outcome o;
        try {
            o = parse(text);
        } catch (RuntimeException | StackOverflowError e) {
            throw new AssertionError(label + ": " + e + " for input:\n" + excerpt(text), e);
        }
        for (String p : o.problems()) {
            if (!LOCATED.matcher(p).matches()) {
                fail(label + ": unlocated problem \"" + p + "\" for input:\n" + excerpt(text));
            }
        }
        return o;
    }

    private static String excerpt(String text) {
        return text.length() > 2000 ? text.substring(0, 2000) + "..." : text;
    }

    private static String seedPolicy() throws IOException {
        return Files.readString(Path.of("policies", "policy.yaml"));
    }

    @Test
    void mutatedSeedPoliciesParseOrFailWithLocatedProblemsOnly() throws IOException {
        String policy = seedPolicy();
        Mutations m = new Mutations(SEED);
        int[] rejected = {0};
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            for (int i = 0; i < MUTANTS; i++) {
                if (!check("seed " + SEED + " mutant " + i, m.mutate(policy)).parsed()) {
                    rejected[0]++;
                }
            }
        });
        // the mutations must mostly break the policy, or this proves little
        assertThat(rejected[0]).isGreaterThan(MUTANTS / 2);
    }

    @Test
    void everyTruncationOfTheSeedPolicyIsHandled() throws IOException {
        String policy = seedPolicy();
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            for (int len = 0; len < policy.length(); len += 3) {
                check("truncated at " + len, policy.substring(0, len));
            }
        });
    }

    @Test
    void pathologicalDocumentsAreLocatedProblemsUnlessValid() throws IOException {
        String policy = seedPolicy();
        List<String[]> cases = new ArrayList<>();
        cases.add(new String[] {"empty", ""});
        cases.add(new String[] {"only a document marker", "---\n"});
        cases.add(new String[] {"valid: byte order mark", "\ufeff" + policy});
        cases.add(new String[] {"NUL bytes", policy.replace("version: 1", "version: \u00001")});
        cases.add(new String[] {"nested sequences", Mutations.nestedSequences(20_000)});
        cases.add(new String[] {"nested mappings", Mutations.nestedMappings(20_000)});
        cases.add(new String[] {"nested roles", policy.replace("roles:\n",
                "roles:\n  deep: " + Mutations.nestedMappings(5_000) + "\n")});
        cases.add(new String[] {"alias bomb", billionLaughs()});
        cases.add(new String[] {"a 1 MB line", "version: " + "9".repeat(1_000_000) + "\n"});
        cases.add(new String[] {"many keys", manyRoles(5_000)});
        cases.add(new String[] {"two documents", policy + "\n---\nversion: 2\n"});
        cases.add(new String[] {"tabs", policy.replace("  ", "\t")});
        cases.add(new String[] {"a timestamp tag",
                policy.replace("timezone: Asia/Seoul", "timezone: !!timestamp 2026-13-45")});
        cases.add(new String[] {"a binary tag",
                policy.replace("timezone: Asia/Seoul", "timezone: !!binary aGk=")});
        cases.add(new String[] {"a Java type tag", policy.replace("timezone: Asia/Seoul",
                "timezone: !!javax.script.ScriptEngineManager [x]")});
        cases.add(new String[] {"huge version", policy.replace("version: 1",
                "version: 1e999999999")});
        cases.add(new String[] {"huge budget", policy.replace("monthly: 2000",
                "monthly: 1e999999999")});
        cases.add(new String[] {"negative budget", policy.replace("monthly: 2000",
                "monthly: -1e-999999999")});
        cases.add(new String[] {"valid: to 24:00, the midnight ending the day",
                policy.replace("\"17:00\"", "\"24:00\"")});
        cases.add(new String[] {"February 30", policy.replace("12-24..12-26", "02-30..02-31")});
        cases.add(new String[] {"zone offset out of range",
                policy.replace("Asia/Seoul", "\"+19:00\"")});
        cases.add(new String[] {"zone with a path", policy.replace("Asia/Seoul",
                "../../etc/passwd")});
        cases.add(new String[] {"expires of a year of days", policy.replace("expires: 2h",
                "expires: 99999999999999999999d")});
        cases.add(new String[] {"ttl as a map", policy.replace("ttl: 30m", "ttl: { a: 1 }")});
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            for (String[] c : cases) {
                boolean valid = c[0].startsWith("valid: ");
                assertThat(check(c[0], c[1]).parsed()).as(c[0]).isEqualTo(valid);
            }
        });
    }

    private static String billionLaughs() {
        StringBuilder b = new StringBuilder("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        for (char c = 'b'; c <= 'k'; c++) {
            String prev = String.valueOf((char) (c - 1));
            b.append(c).append(": &").append(c).append(" [*").append(prev).append(", *")
                    .append(prev).append(", *").append(prev).append(", *").append(prev)
                    .append(", *").append(prev).append(", *").append(prev).append("]\n");
        }
        return b.toString();
    }

    private static String manyRoles(int n) {
        StringBuilder b = new StringBuilder("version: 1\ntimezone: UTC\nroles:\n");
        for (int i = 0; i < n; i++) {
            b.append("  r").append(i).append(": { users: [u").append(i).append("] }\n");
        }
        return b.append("environments: {}\n").toString();
    }
}
