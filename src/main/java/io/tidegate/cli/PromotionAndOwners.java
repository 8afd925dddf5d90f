package io.tidegate.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import io.tidegate.decision.Facts;
import io.tidegate.decision.PriorApply;
import io.tidegate.decision.ResourceChange;
import io.tidegate.github.CodeOwnersFile;

/**
 * The case keys for promotion ({@code head_tree}, {@code applies}), code owners
 * ({@code codeowners}: the CODEOWNERS text, {@code changed_files}) and plan rules
 * ({@code resources.changes}: {@code "replace module.db.aws_db_instance.main"}).
 */
final class PromotionAndOwners {
    private static final List<String> APPLY_KEYS = List.of("environment", "pr", "commit", "tree",
            "finished_at");
    private static final List<String> VERBS = List.of("create", "update", "delete", "replace");

    private PromotionAndOwners() {}

    static Facts read(CaseReader r, JsonNode c, Facts facts) throws CaseFileException {
        Optional<String> tree = r.optText(c, "head_tree");
        List<PriorApply> applies = new ArrayList<>();
        for (JsonNode a : r.items(c.path("applies"), "applies")) {
            r.keys(a, APPLY_KEYS);
            applies.add(new PriorApply(r.text(a, "environment"), facts.pullRequest().repo(),
                    a.path("pr").asInt(facts.pullRequest().number()),
                    r.optText(a, "commit").orElse(facts.pullRequest().headSha()),
                    r.optText(a, "tree"), r.optInstant(a, "finished_at").orElseThrow(
                            () -> r.fail("missing key \"finished_at\" in applies"))));
        }
        Facts out = facts.withPromotionFacts(tree, applies);
        if (c.has("codeowners") != c.has("changed_files")) {
            throw r.fail("give codeowners (the CODEOWNERS text) and changed_files together");
        }
        if (c.has("codeowners")) {
            CodeOwnersFile file = CodeOwnersFile.parse(r.text(c, "codeowners"));
            out = out.withOwnedFiles(file.own(List.copyOf(r.strings(c.path("changed_files"),
                    "changed_files"))));
        }
        return out;
    }

    /** {@code "replace module.db.aws_db_instance.main"}: verb, then the address. */
    static List<ResourceChange> changes(CaseReader r, Set<String> lines)
            throws CaseFileException {
        List<ResourceChange> out = new ArrayList<>();
        for (String line : lines) {
            String[] parts = line.trim().split("\\s+");
            if (parts.length != 2 || !VERBS.contains(parts[0])) {
                throw r.fail("a change must be \"VERB ADDRESS\" with VERB one of "
                        + String.join(", ", VERBS) + ", found \"" + line + "\"");
            }
            String verb = parts[0];
            out.add(ResourceChange.of(parts[1], type(r, parts[1]),
                    verb.equals("create") || verb.equals("replace"), verb.equals("update"),
                    verb.equals("delete") || verb.equals("replace")));
        }
        return out;
    }

    /** TYPE of {@code [module.M.]...TYPE.NAME[KEY]}. */
    private static String type(CaseReader r, String address) throws CaseFileException {
        String a = address.replaceAll("\\[[^\\]]*\\]", "");
        String[] seg = a.split("\\.");
        int i = 0;
        while (i + 1 < seg.length && seg[i].equals("module")) {
            i += 2;
        }
        if (seg.length - i != 2) {
            throw r.fail("\"" + address + "\" is not a resource address (TYPE.NAME, "
                    + "module.M.TYPE.NAME)");
        }
        return seg[i];
    }
}
