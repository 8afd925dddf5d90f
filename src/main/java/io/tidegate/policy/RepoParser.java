package io.tidegate.policy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Reads a file with {@code repos:}: an ordered list of {@code match} (globs over
 * {@code owner/name}) and {@code policy} (a file, relative to this one, or the policy's keys
 * inline). Every named file is read and checked now, its problems reported as
 * {@code file:line:column} of that file; a missing or unreadable one is a problem at the
 * {@code policy:} that names it. Such a file holds nothing but {@code version} and {@code repos},
 * and a policy it names cannot have {@code repos:} itself (one level, no cycles).
 */
final class RepoParser {
    private final Nodes nodes;
    private final String sha256;
    private final Optional<Path> dir;
    private final Problems problems;

    RepoParser(Nodes nodes, String sha256, Optional<Path> dir, Problems problems) {
        this.nodes = nodes;
        this.sha256 = sha256;
        this.dir = dir;
        this.problems = problems;
    }

    Optional<PolicySet> policy(YamlNode root) {
        Optional<YamlNode.Mapping> m = nodes.mapping(root, "a policy file with repos (it maps "
                + "repositories to policies and holds nothing else)", List.of("version", "repos"));
        if (m.isEmpty()) {
            return Optional.empty();
        }
        nodes.get(m.get(), "version").ifPresent(v -> PolicyParser.version(nodes, v, problems));
        List<RepoPolicy> entries = new ArrayList<>();
        List<YamlNode> items = nodes.get(m.get(), "repos").map(r -> nodes.list(r, "repos"))
                .orElse(List.of());
        if (items.isEmpty()) {
            nodes.problem(m.get().location(), "repos is empty: every repository would be "
                    + "denied with repo-not-governed");
        }
        for (YamlNode item : items) {
            entry(item).ifPresent(entries::add);
        }
        if (entries.size() != items.size()) {
            return Optional.empty();
        }
        // The root decides nothing itself: no roles, no environments; forRepo picks.
        return Optional.of(new PolicySet(1, ZoneId.of("UTC"), Map.of(), List.of(), List.of(),
                Map.of(), entries.get(0).policy().notifications(), sha256, Optional.empty(),
                FreezeRule.NOBODY, entries, Optional.empty(), PolicySet.DEFAULT_CURRENCY));
    }

    private Optional<RepoPolicy> entry(YamlNode item) {
        String what = "a repos entry";
        Optional<YamlNode.Mapping> m = nodes.mapping(item, what, List.of("match", "policy"));
        if (m.isEmpty()) {
            return Optional.empty();
        }
        List<Glob> match = new ArrayList<>();
        nodes.require(m.get(), "match", what).map(x -> nodes.strings(x, "match"))
                .ifPresent(l -> l.forEach(p -> {
                    if (!p.value().matches("[^/\\s]+/[^/\\s]+")) {
                        nodes.problem(p.location(), "repository pattern \"" + p.value()
                                + "\" must be written owner/name (globs allowed: acme/infra-*)");
                    }
                    match.add(new Glob(p.value().toLowerCase(Locale.ROOT)));
                }));
        Optional<YamlNode> policy = nodes.require(m.get(), "policy", what);
        if (policy.isEmpty() || match.isEmpty()) {
            return Optional.empty();
        }
        if (policy.get() instanceof YamlNode.Mapping) {
            return PolicyParser.inline(nodes, policy.get(), sha256, problems)
                    .flatMap(p -> single(p, policy.get()))
                    .map(p -> new RepoPolicy(match, "(inline)", p));
        }
        return nodes.string(policy.get(), "policy").flatMap(f -> file(f, policy.get()))
                .map(p -> new RepoPolicy(match, fileNameOf(p), p));
    }

    /** A named file, read and parsed now; its problems are reported under its own name. */
    private Optional<PolicySet> file(String name, YamlNode at) {
        Path path = dir.map(d -> d.resolve(name)).orElse(Path.of(name)).normalize();
        try {
            if (Files.size(path) > 1024 * 1024) {
                nodes.problem(at.location(), "policy file \"" + path + "\" is larger than 1 MiB");
                return Optional.empty();
            }
            PolicySet p = PolicyParser.parseNamed(Files.readString(path,
                    StandardCharsets.UTF_8), path.toString());
            names.put(p, path.toString());
            return single(p, at);
        } catch (NoSuchFileException e) {
            nodes.problem(at.location(), "policy file \"" + path + "\" does not exist");
        } catch (IOException | java.io.UncheckedIOException e) {
            nodes.problem(at.location(), "policy file \"" + path + "\" cannot be read: "
                    + e.getMessage());
        } catch (PolicyFileException e) {
            nodes.problem(at.location(), "policy file \"" + path + "\" is invalid ("
                    + e.problems().size() + (e.problems().size() == 1 ? " problem" : " problems")
                    + ", listed below)");
            problems.addLocated(e.problems());
        }
        return Optional.empty();
    }

    private final java.util.IdentityHashMap<PolicySet, String> names =
            new java.util.IdentityHashMap<>();

    private String fileNameOf(PolicySet p) {
        return names.getOrDefault(p, "(inline)");
    }

    private Optional<PolicySet> single(PolicySet p, YamlNode at) {
        if (p.isByRepository()) {
            nodes.problem(at.location(), "a policy named by repos cannot have repos itself");
            return Optional.empty();
        }
        return Optional.of(p);
    }
}
