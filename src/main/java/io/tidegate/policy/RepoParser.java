package io.tidegate.policy;

import java.io.IOException;
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
    /** The file with {@code repos:} (its name as given) and where its named files are read. */
    record Root(String fileName, PolicyFiles files) {}

    private final Nodes nodes;
    private final String sha256;
    private final Optional<Path> dir;
    private final Problems problems;
    private final Root root;
    /** The hash of each file of the set by path, the root's included. */
    private final Map<String, String> hashes = new java.util.TreeMap<>();

    RepoParser(Nodes nodes, String sha256, Optional<Path> dir, Problems problems, Root root) {
        this.nodes = nodes;
        this.sha256 = sha256;
        this.dir = dir;
        this.problems = problems;
        this.root = java.util.Objects.requireNonNull(root, "root == null");
        hashes.put(root.fileName(), sha256);
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
        // One version: the root and every file it names, so each policy of the set carries the
        // set's hash (what an audit row names and replay rebuilds), not its own file's.
        String version = PolicyParser.setSha256(hashes);
        List<RepoPolicy> stamped = entries.stream().map(e -> new RepoPolicy(e.match(), e.file(),
                e.policy().withSha256(version))).toList();
        // The root decides nothing itself: no roles, no environments; forRepo picks.
        return Optional.of(new PolicySet(1, ZoneId.of("UTC"), Map.of(), List.of(), List.of(),
                Map.of(), entries.get(0).policy().notifications(), version, Optional.empty(),
                FreezeRule.NOBODY, stamped, Optional.empty(), PolicySet.DEFAULT_CURRENCY));
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
            String text = root.files().read(path);
            hashes.put(path.toString(), PolicyParser.sha256(text));
            PolicySet p = PolicyParser.parseNamed(text, path.toString());
            names.put(p, path.toString());
            return single(p, at);
        } catch (PolicyFiles.TooLargeException e) {
            nodes.problem(at.location(), e.getMessage());
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
