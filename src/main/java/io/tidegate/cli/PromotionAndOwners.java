package io.tidegate.cli;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.tidegate.decision.Facts;
import io.tidegate.decision.PriorApply;
import io.tidegate.decision.ResourceChange;
import io.tidegate.github.CodeOwnersFile;
import io.tidegate.policy.Nodes;
import io.tidegate.policy.YamlNode;

/**
 * The case keys for promotion ({@code head_tree}, {@code applies}), code owners
 * ({@code codeowners}: the CODEOWNERS text, {@code changed_files}) and plan rules
 * ({@code resources.changes}: {@code "replace module.db.aws_db_instance.main"}). Problems are
 * recorded at their place in the case file, as every other key's.
 */
final class PromotionAndOwners {
    private static final List<String> APPLY_KEYS = List.of("environment", "pr", "commit", "tree",
            "finished_at");
    private static final List<String> VERBS = List.of("create", "update", "delete", "replace");

    private PromotionAndOwners() {}

    static Facts read(CaseReader r, Nodes nodes, YamlNode.Mapping c, Facts facts) {
        Optional<String> tree = nodes.get(c, "head_tree")
                .flatMap(n -> nodes.string(n, "head_tree"));
        List<PriorApply> applies = new ArrayList<>();
        nodes.get(c, "applies").ifPresent(list -> {
            for (YamlNode item : nodes.list(list, "applies")) {
                nodes.mapping(item, "an apply", APPLY_KEYS)
                        .flatMap(a -> apply(r, nodes, a, facts)).ifPresent(applies::add);
            }
        });
        Facts out = facts.withPromotionFacts(tree, applies);
        Optional<YamlNode> owners = nodes.get(c, "codeowners");
        Optional<YamlNode> changed = nodes.get(c, "changed_files");
        if (owners.isPresent() != changed.isPresent()) {
            nodes.problem(owners.or(() -> changed).orElseThrow().location(),
                    "give codeowners (the CODEOWNERS text) and changed_files together");
            return out;
        }
        if (owners.isEmpty()) {
            return out;
        }
        Optional<String> text = nodes.string(owners.get(), "codeowners");
        List<String> files = nodes.strings(changed.get(), "changed_files").stream()
                .map(Nodes.Located::value).toList();
        return text.map(t -> facts(out, t, files)).orElse(out);
    }

    private static Facts facts(Facts facts, String codeOwners, List<String> changedFiles) {
        return facts.withOwnedFiles(CodeOwnersFile.parse(codeOwners).own(changedFiles));
    }

    private static Optional<PriorApply> apply(CaseReader r, Nodes nodes, YamlNode.Mapping a,
            Facts facts) {
        Optional<String> environment = nodes.require(a, "environment", "an apply")
                .flatMap(n -> nodes.string(n, "environment"));
        int pr = nodes.get(a, "pr").flatMap(n -> nodes.count(n, "pr"))
                .orElse(facts.pullRequest().number());
        String commit = nodes.get(a, "commit").flatMap(n -> nodes.string(n, "commit"))
                .orElse(facts.pullRequest().headSha());
        Optional<String> tree = nodes.get(a, "tree").flatMap(n -> nodes.string(n, "tree"));
        Optional<Instant> at = nodes.require(a, "finished_at", "an apply")
                .flatMap(n -> r.instant(n, "finished_at"));
        if (environment.isEmpty() || at.isEmpty()) {
            return Optional.empty(); // reported
        }
        return Optional.of(new PriorApply(environment.get(), facts.pullRequest().repo(), pr,
                commit, tree, at.get()));
    }

    /** {@code "replace module.db.aws_db_instance.main"}: verb, then the address. */
    static List<ResourceChange> changes(Nodes nodes, List<Nodes.Located> lines) {
        List<ResourceChange> out = new ArrayList<>();
        for (Nodes.Located line : lines) {
            String[] parts = line.value().trim().split("\\s+");
            if (parts.length != 2 || !VERBS.contains(parts[0])) {
                nodes.problem(line.location(), "a change must be \"VERB ADDRESS\" with VERB one"
                        + " of " + String.join(", ", VERBS) + ", found \"" + line.value() + "\"");
                continue;
            }
            Optional<String> type = type(parts[1]);
            if (type.isEmpty()) {
                nodes.problem(line.location(), "\"" + parts[1] + "\" is not a resource address"
                        + " (TYPE.NAME, module.M.TYPE.NAME)");
                continue;
            }
            String verb = parts[0];
            out.add(ResourceChange.of(parts[1], type.get(),
                    verb.equals("create") || verb.equals("replace"), verb.equals("update"),
                    verb.equals("delete") || verb.equals("replace")));
        }
        return out;
    }

    /** TYPE of {@code [module.M.]...TYPE.NAME[KEY]}. */
    private static Optional<String> type(String address) {
        String[] seg = address.replaceAll("\\[[^\\]]*\\]", "").split("\\.");
        int i = 0;
        while (i + 1 < seg.length && seg[i].equals("module")) {
            i += 2;
        }
        return seg.length - i == 2 ? Optional.of(seg[i]) : Optional.empty();
    }
}
