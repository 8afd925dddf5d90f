package io.tidegate.policy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads a policy file into a {@link PolicySet}, or fails with every problem found at once as
 * {@code file:line:column: message} ({@link PolicyFileException}). Unknown keys are errors, so a
 * typo such as {@code aprovals:} cannot silently drop a rule. Stateless and thread-safe.
 *
 * <pre>
 * PolicySet policy = PolicyParser.parse(Path.of("policies/policy.yaml"));
 * </pre>
 */
public final class PolicyParser {
    private static final List<String> TOP_KEYS = List.of("version", "timezone", "roles",
            "environments", "cost_approvals", "windows", "notifications",
            "freeze", "repos", "currency");
    private static final List<String> REPOS_TOP_KEYS = List.of("version", "repos");
    private static final List<String> REPO_KEYS = List.of("match", "policy");
    private static final List<String> ROLE_KEYS = List.of("users", "teams");
    private static final List<String> TIER_KEYS = List.of("above", "approvals", "approvals_from",
            "require");

    private PolicyParser() {}

    /** Parses a file; problems name it as given. I/O failures stay {@link IOException}s. */
    public static PolicySet parse(Path file) throws IOException, PolicyFileException {
        return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
    }

    /** Parses policy text; {@code fileName} prefixes each problem. */
    public static PolicySet parse(String text, String fileName) throws PolicyFileException {
        return parse(text, fileName, true);
    }

    /**
     * Parses policy text for a server that has ({@code gitHubCredentials}) or lacks GitHub
     * credentials: without them every {@code codeowners: true} is a problem, since CODEOWNERS
     * cannot be read and every apply it guards would be denied.
     */
    public static PolicySet parse(String text, String fileName, boolean gitHubCredentials)
            throws PolicyFileException {
        return parse(text, fileName, gitHubCredentials, true, PolicyFiles.DISK);
    }

    /**
     * Parses policy text whose {@code repos:} names files read from {@code files} (resolved
     * against {@code fileName}'s folder): a kept set for replay, or the disk through a reader
     * that notes what it read, so the set that decides is exactly the text parsed. With
     * named files the policy's {@link PolicySet#sha256()} is the set's
     * ({@link PolicyFiles#sha256Of}).
     */
    public static PolicySet parse(String text, String fileName, PolicyFiles files)
            throws PolicyFileException {
        return parse(text, fileName, true, true, files);
    }

    /** A file named under {@code repos:}: a plain policy, never a second level of repos. */
    static PolicySet parseNamed(String text, String fileName) throws PolicyFileException {
        return parse(text, fileName, true, false, PolicyFiles.DISK);
    }

    private static PolicySet parse(String text, String fileName, boolean gitHubCredentials,
            boolean reposAllowed, PolicyFiles files)
            throws PolicyFileException {
        Problems problems = new Problems(fileName);
        String sha256 = sha256(text);
        Optional<java.nio.file.Path> dir = Optional.ofNullable(
                java.nio.file.Path.of(fileName).getParent());
        Optional<PolicySet> policy = new YamlReader(problems).read(text)
                .flatMap(root -> new Reading(new Nodes(problems), sha256, gitHubCredentials,
                        dir, problems, reposAllowed, new RepoParser.Root(fileName, files))
                        .policy(root));
        if (!problems.isEmpty() || policy.isEmpty()) {
            if (problems.isEmpty()) {
                throw new PolicyFileException(List.of(fileName + ":1:1: not a usable policy"));
            }
            throw problems.exception();
        }
        return policy.get();
    }

    /** The hex SHA-256 of the text as UTF-8: the file's hash when read from a file. */
    public static String sha256(String text) {
        return sha256(text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * {@link PolicyFiles#sha256Of} from each file's hash by path: the one hash, or the hash of
     * the sorted listing {@code <path> NUL <hash> LF}.
     */
    static String setSha256(Map<String, String> hashes) {
        if (hashes.size() == 1) {
            return hashes.values().iterator().next();
        }
        StringBuilder listing = new StringBuilder();
        new java.util.TreeMap<>(hashes).forEach((path, hash) -> listing.append(path)
                .append('\0').append(hash).append('\n'));
        return sha256(listing.toString());
    }

    /** The hex SHA-256 of these bytes. */
    public static String sha256(byte[] bytes) {
        try {
            return java.util.HexFormat.of().formatHex(
                    java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    /** A policy given inline under {@code repos:}: read like a file's top level. */
    static Optional<PolicySet> inline(Nodes nodes, YamlNode node, String sha256,
            Problems problems) {
        return new Reading(nodes, sha256, true, Optional.empty(), problems, false, null)
                .policy(node);
    }

    /** The version key, shared by a {@code repos:} file. */
    static Optional<Integer> version(Nodes nodes, YamlNode v, Problems problems) {
        return new Reading(nodes, "", true, Optional.empty(), problems, false, null).version(v);
    }

    /** One parse: the problems so far and the names used before they are known. */
    private static final class Reading {
        private final Nodes nodes;
        private final String sha256;
        private final List<Nodes.Located> roleRefs = new ArrayList<>();
        private final List<Nodes.Located> windowRefs = new ArrayList<>();
        private final List<Nodes.Located> environmentRefs = new ArrayList<>();
        private final boolean gitHubCredentials;
        private final Optional<java.nio.file.Path> dir;
        private final Problems problems;
        private final boolean reposAllowed;
        /** The root file's name and where its named files are read; null when no repos. */
        private final RepoParser.Root root;

        Reading(Nodes nodes, String sha256, boolean gitHubCredentials,
                Optional<java.nio.file.Path> dir, Problems problems, boolean reposAllowed,
                RepoParser.Root root) {
            this.root = root;
            this.nodes = nodes;
            this.sha256 = sha256;
            this.gitHubCredentials = gitHubCredentials;
            this.dir = dir;
            this.problems = problems;
            this.reposAllowed = reposAllowed;
        }

        Optional<PolicySet> policy(YamlNode root) {
            YamlNode.Entry repos = root instanceof YamlNode.Mapping
                    ? ((YamlNode.Mapping) root).entries().get("repos") : null;
            if (repos != null && !reposAllowed) {
                // One level only: a policy named by repos mapping repos again could loop.
                nodes.problem(repos.keyLocation(), "a policy named by repos (or inline under "
                        + "it) cannot have repos itself");
                return Optional.empty();
            }
            if (repos != null) {
                return new RepoParser(nodes, sha256, dir, problems, this.root).policy(root);
            }
            Optional<YamlNode.Mapping> m = nodes.mapping(root, "the policy", TOP_KEYS);
            if (m.isEmpty()) {
                return Optional.empty();
            }
            YamlNode.Mapping top = m.get();
            Optional<Integer> version = nodes.require(top, "version", "the policy")
                    .flatMap(v -> version(v));
            Optional<ZoneId> zone = nodes.require(top, "timezone", "the policy")
                    .flatMap(z -> WindowParser.zone(nodes, z, "timezone"));
            Optional<String> currency = nodes.get(top, "currency").map(this::currency)
                    .orElse(Optional.of(PolicySet.DEFAULT_CURRENCY));
            Map<String, Role> roles = nodes.require(top, "roles", "the policy")
                    .map(this::roles).orElse(Map.of());
            Map<String, Window> windows = nodes.get(top, "windows")
                    .map(w -> new WindowParser(nodes, roleRefs).windows(w, zone))
                    .orElse(Map.of());
            List<CostTier> tiers = nodes.get(top, "cost_approvals").map(this::tiers)
                    .orElse(List.of());
            EnvironmentParser envParser = new EnvironmentParser(nodes, roleRefs, windowRefs);
            List<Environment> environments = nodes.require(top, "environments", "the policy")
                    .map(envParser::environments).orElse(List.of());
            envParser.promotions().forEach(p -> environmentRefs.add(p.after()));
            new Promotions(nodes).check(envParser.promotions(), environments);
            if (!gitHubCredentials) {
                envParser.codeowners().forEach(at -> nodes.problem(at, "codeowners: true needs "
                        + "GitHub credentials (GITHUB_TOKEN or GITHUB_APP_ID) to read CODEOWNERS;"
                        + " without them every apply it guards is denied"));
            }
            FreezeRule freeze = nodes.get(top, "freeze")
                    .map(f -> envParser.freezeRule(f, "freeze"))
                    .orElse(FreezeRule.NOBODY);
            NotificationRules notifications = nodes.get(top, "notifications")
                    .map(n -> new NotificationParser(nodes, environmentRefs).rules(n))
                    .orElse(NotificationRules.NONE);
            checkNames(roleRefs, keys(top, "roles"), "role", "");
            checkNames(windowRefs, keys(top, "windows"), "window", "; or \"always\"");
            checkNames(environmentRefs, environmentNames(environments), "environment", "");
            new Overlaps(nodes).check(environments, top);
            if (version.isEmpty() || zone.isEmpty() || currency.isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(new PolicySet(version.get(), zone.get(), roles, environments,
                    tiers, windows, notifications, sha256, Optional.empty(), freeze, List.of(),
                    Optional.empty(), currency.get()));
        }

        /**
         * An ISO 4217 code as Infracost writes it in its {@code currency} field (upper case,
         * e.g. {@code EUR}); java.util.Currency holds the ISO 4217 list.
         */
        private Optional<String> currency(YamlNode node) {
            Optional<String> code = nodes.string(node, "currency");
            if (code.isEmpty()) {
                return Optional.empty();
            }
            if (code.get().matches("[A-Z]{3}") && java.util.Currency.getAvailableCurrencies()
                    .stream().anyMatch(c -> c.getCurrencyCode().equals(code.get()))) {
                return code;
            }
            nodes.problem(node.location(), "unknown currency \"" + code.get()
                    + "\": expected an ISO 4217 code in upper case such as USD or EUR");
            return Optional.empty();
        }

        Optional<Integer> version(YamlNode v) {
            Optional<Integer> n = nodes.count(v, "version");
            if (n.isPresent() && n.get() != 1) {
                nodes.problem(v.location(), "unsupported version " + n.get()
                        + ": this Tidegate reads version 1");
                return Optional.empty();
            }
            return n;
        }

        private Map<String, Role> roles(YamlNode node) {
            Map<String, Role> out = new LinkedHashMap<>();
            for (YamlNode.Entry e : nodes.namedMapping(node, "roles")
                    .map(m -> m.entries().values()).orElse(List.of())) {
                String what = "role \"" + e.key() + "\"";
                nodes.mapping(e.value(), what, ROLE_KEYS).ifPresent(m -> {
                    List<Nodes.Located> users = nodes.get(m, "users")
                            .map(u -> nodes.strings(u, "users")).orElse(List.of());
                    List<Nodes.Located> teams = nodes.get(m, "teams")
                            .map(t -> nodes.strings(t, "teams")).orElse(List.of());
                    teams.stream().filter(t -> !t.value().matches("[^/\\s]+/[^/\\s]+"))
                            .forEach(t -> nodes.problem(t.location(), "team \"" + t.value()
                                    + "\" must be written org/team-slug"));
                    if (users.isEmpty() && teams.isEmpty()) {
                        nodes.problem(e.keyLocation(), what + " has no users or teams: "
                                + "nobody would hold it");
                    }
                    out.put(e.key(), new Role(e.key(), Nodes.values(users), Nodes.values(teams)));
                });
            }
            return out;
        }

        private List<CostTier> tiers(YamlNode node) {
            List<CostTier> out = new ArrayList<>();
            Set<java.math.BigDecimal> seen = new TreeSet<>();
            for (YamlNode item : nodes.list(node, "cost_approvals")) {
                nodes.mapping(item, "a cost_approvals row", TIER_KEYS).ifPresent(m -> {
                    Optional<java.math.BigDecimal> above = nodes.require(m, "above",
                            "a cost_approvals row").flatMap(a -> nodes.money(a, "above"));
                    Optional<Integer> approvals = nodes.require(m, "approvals",
                            "a cost_approvals row").flatMap(a -> nodes.count(a, "approvals"));
                    List<Nodes.Located> from = nodes.get(m, "approvals_from")
                            .map(f -> nodes.strings(f, "approvals_from")).orElse(List.of());
                    roleRefs.addAll(from);
                    Requirements require = nodes.get(m, "require")
                            .map(r -> new EnvironmentParser(nodes, roleRefs, windowRefs)
                                    .requirements(r, "require of a cost_approvals row"))
                            .orElse(Requirements.NONE);
                    if (above.isPresent() && !seen.add(above.get())) {
                        nodes.problem(m.location(), "two cost_approvals rows start above "
                                + above.get());
                    }
                    if (above.isPresent() && approvals.isPresent()) {
                        out.add(new CostTier(above.get(), approvals.get(), Nodes.values(from),
                                require));
                    }
                });
            }
            return out;
        }

        private void checkNames(List<Nodes.Located> refs, Set<String> defined, String kind,
                String also) {
            for (Nodes.Located ref : refs) {
                if (!defined.contains(ref.value())) {
                    nodes.problem(ref.location(), "unknown " + kind + " \"" + ref.value()
                            + "\" (" + (defined.isEmpty() ? "none defined"
                                    : "defined: " + String.join(", ", new TreeSet<>(defined)))
                            + also + ")");
                }
            }
        }

        /** The names written under a section, even those whose definition has problems. */
        private static Set<String> keys(YamlNode.Mapping top, String section) {
            YamlNode.Entry e = top.entries().get(section);
            return e != null && e.value() instanceof YamlNode.Mapping
                    ? ((YamlNode.Mapping) e.value()).entries().keySet() : Set.of();
        }

        private static Set<String> environmentNames(List<Environment> environments) {
            Set<String> out = new TreeSet<>();
            environments.forEach(e -> out.add(e.name()));
            return out;
        }
    }
}
