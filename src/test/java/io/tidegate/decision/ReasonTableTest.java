package io.tidegate.decision;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * {@code policies/README.md}'s "Reason codes" section is the policy author's list of codes:
 * its tables must name exactly the {@link ReasonCode} values, each once, with blocking codes,
 * gate refusals and notes each in their own table.
 */
class ReasonTableTest {
    private static final Pattern ROW = Pattern.compile("^\\| `([^`]+)` \\|");

    @Test
    void readmeReasonTablesListExactlyTheReasonCodes() throws IOException {
        List<List<String>> tables = tables(section(Files.readString(
                Path.of("policies/README.md"))));

        assertThat(tables).hasSize(3);
        assertThat(tables.get(0)).containsExactlyInAnyOrderElementsOf(keys(c -> c.isBlocking()
                && !c.isGateRefusal()));
        assertThat(tables.get(1)).containsExactlyInAnyOrderElementsOf(keys(
                ReasonCode::isGateRefusal));
        assertThat(tables.get(2)).containsExactlyInAnyOrderElementsOf(keys(c -> !c.isBlocking()));
    }

    private static List<String> keys(java.util.function.Predicate<ReasonCode> which) {
        return Arrays.stream(ReasonCode.values()).filter(which).map(ReasonCode::key).toList();
    }

    /** The text from "## Reason codes" to the next level-2 heading. */
    private static String section(String readme) {
        int start = readme.indexOf("\n## Reason codes\n");
        assertThat(start).as("policies/README.md has a \"## Reason codes\" section")
                .isNotNegative();
        int end = readme.indexOf("\n## ", start + 1);
        return readme.substring(start, end < 0 ? readme.length() : end);
    }

    /** Each table's first-column codes, in order; a table ends at its first non-row line. */
    private static List<List<String>> tables(String section) {
        List<List<String>> out = new ArrayList<>();
        List<String> current = null;
        for (String line : section.split("\n")) {
            if (line.startsWith("| code |")) {
                current = new ArrayList<>();
                out.add(current);
                continue;
            }
            Matcher m = ROW.matcher(line);
            if (current != null && m.find()) {
                current.add(m.group(1));
            } else if (!line.startsWith("|---")) {
                current = null;
            }
        }
        return out;
    }
}
