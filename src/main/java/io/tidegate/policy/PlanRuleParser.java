package io.tidegate.policy;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Parses an environment's {@code plan_rules}. Reports, at the offending value: an action that is
 * not create, update, delete or replace; a type or address glob that can never match a managed
 * resource Terraform lists in {@code resource_changes}; a rule that says neither what it denies
 * nor what it requires, or both; two rules of one name.
 */
final class PlanRuleParser {
    private static final List<String> RULE_KEYS = List.of("name", "match", "deny", "approvals",
            "require", "enforce");
    private static final List<String> MATCH_KEYS = List.of("types", "addresses", "actions");
    private static final List<String> APPROVAL_KEYS = List.of("count", "from");
    static final List<String> ACTIONS = List.of("create", "update", "delete", "replace");
    /** Terraform resource type names (provider prefix, underscores), with * wildcards. */
    private static final Pattern TYPE = Pattern.compile("[a-z0-9_*]+");

    private final Nodes nodes;
    private final List<Nodes.Located> roleRefs;
    private final EnvironmentParser requirements;

    PlanRuleParser(Nodes nodes, List<Nodes.Located> roleRefs, EnvironmentParser requirements) {
        this.nodes = nodes;
        this.roleRefs = roleRefs;
        this.requirements = requirements;
    }

    List<PlanChangeRule> rules(YamlNode node, String env) {
        List<PlanChangeRule> out = new ArrayList<>();
        Set<String> names = new LinkedHashSet<>();
        for (YamlNode item : nodes.list(node, "plan_rules of " + env)) {
            rule(item, env).ifPresent(r -> {
                if (!names.add(r.name())) {
                    nodes.problem(item.location(), "two plan rules of " + env + " are named \""
                            + r.name() + "\"");
                }
                out.add(r);
            });
        }
        return out;
    }

    private Optional<PlanChangeRule> rule(YamlNode node, String env) {
        Optional<YamlNode.Mapping> m = nodes.mapping(node, "a plan rule of " + env, RULE_KEYS);
        if (m.isEmpty()) {
            return Optional.empty();
        }
        Optional<String> name = nodes.require(m.get(), "name", "a plan rule of " + env)
                .flatMap(n -> nodes.string(n, "name"));
        String what = "plan rule \"" + name.orElse("?") + "\" of " + env;
        Optional<PlanChangeRule.Match> match = nodes.require(m.get(), "match", what)
                .flatMap(x -> match(x, what));
        Optional<String> deny = nodes.get(m.get(), "deny").flatMap(d -> nodes.string(d, "deny"));
        Optional<PlanChangeRule.RuleApprovals> approvals = nodes.get(m.get(), "approvals")
                .flatMap(a -> approvals(a, what));
        Requirements require = nodes.get(m.get(), "require")
                .map(r -> requirements.requirements(r, "require of " + what))
                .orElse(Requirements.NONE);
        boolean enforce = nodes.get(m.get(), "enforce").flatMap(e -> nodes.bool(e, "enforce"))
                .orElse(true);
        boolean requires = nodes.get(m.get(), "approvals").isPresent()
                || nodes.get(m.get(), "require").isPresent();
        if (nodes.get(m.get(), "deny").isPresent() && requires) {
            nodes.problem(m.get().location(), what + " has deny and approvals/require: a "
                    + "denied change cannot be approved; split it into two rules");
        } else if (nodes.get(m.get(), "deny").isEmpty() && !requires) {
            nodes.problem(m.get().location(), what + " has no deny, approvals or require: it "
                    + "would do nothing");
        }
        if (name.isEmpty() || match.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new PlanChangeRule(name.get(), match.get(), deny, approvals, require,
                enforce));
    }

    private Optional<PlanChangeRule.Match> match(YamlNode node, String rule) {
        String what = "match of " + rule;
        Optional<YamlNode.Mapping> m = nodes.mapping(node, what, MATCH_KEYS);
        if (m.isEmpty()) {
            return Optional.empty();
        }
        if (m.get().entries().isEmpty()) {
            nodes.problem(node.location(), what + " is empty: give types, addresses or actions");
            return Optional.empty();
        }
        List<Glob> types = globs(m.get(), "types", what, this::checkType);
        List<Glob> addresses = globs(m.get(), "addresses", what, this::checkAddress);
        Set<String> actions = new LinkedHashSet<>();
        nodes.get(m.get(), "actions").ifPresent(a -> {
            List<Nodes.Located> listed = nodes.strings(a, "actions");
            if (listed.isEmpty()) {
                nodes.problem(a.location(), "actions of " + rule + " is empty: it would match "
                        + "nothing (leave the key out to match any action)");
            }
            for (Nodes.Located action : listed) {
                if (!ACTIONS.contains(action.value())) {
                    nodes.problem(action.location(), "unknown action \"" + action.value()
                            + "\" (expected one of: " + String.join(", ", ACTIONS) + ")");
                }
                actions.add(action.value());
            }
        });
        return Optional.of(new PlanChangeRule.Match(types, addresses, actions));
    }

    private List<Glob> globs(YamlNode.Mapping m, String key, String what,
            java.util.function.Consumer<Nodes.Located> check) {
        List<Glob> out = new ArrayList<>();
        nodes.get(m, key).ifPresent(v -> {
            List<Nodes.Located> patterns = nodes.strings(v, key);
            if (patterns.isEmpty()) {
                nodes.problem(v.location(), key + " of " + what + " is empty: it would match "
                        + "nothing (leave the key out to match anything)");
            }
            patterns.forEach(p -> {
                check.accept(p);
                out.add(new Glob(p.value()));
            });
        });
        return out;
    }

    /** A type glob with a character no Terraform type has can never match. */
    private void checkType(Nodes.Located type) {
        if (!TYPE.matcher(type.value()).matches()) {
            nodes.problem(type.location(), "type \"" + type.value() + "\" can never match: "
                    + "Terraform resource types are a-z, 0-9 and _ (globs may use *)");
        }
    }

    /**
     * An address is {@code [module.NAME[KEY].]...TYPE.NAME[KEY]}: a literal without a dot can
     * never match, nor can {@code data.*} (data sources change nothing and are not listed).
     */
    private void checkAddress(Nodes.Located address) {
        String a = address.value();
        if (a.indexOf('.') < 0 && a.indexOf('*') < 0) {
            nodes.problem(address.location(), "address \"" + a + "\" can never match: a "
                    + "resource address is TYPE.NAME, module.M.TYPE.NAME... (use types: for "
                    + "a resource type)");
        } else if (a.startsWith("data.") || a.contains(".data.")) {
            nodes.problem(address.location(), "address \"" + a + "\" can never match: data "
                    + "sources are only read, plan rules see managed resources");
        }
    }

    private Optional<PlanChangeRule.RuleApprovals> approvals(YamlNode node, String rule) {
        String what = "approvals of " + rule;
        Optional<YamlNode.Mapping> m = nodes.mapping(node, what, APPROVAL_KEYS);
        if (m.isEmpty()) {
            return Optional.empty();
        }
        Optional<Integer> count = nodes.require(m.get(), "count", what)
                .flatMap(c -> nodes.count(c, "count"));
        count.filter(c -> c == 0).ifPresent(c -> nodes.problem(m.get().location(), what
                + " has count 0: it would require nothing"));
        List<Nodes.Located> from = nodes.get(m.get(), "from").map(f -> nodes.strings(f, "from"))
                .orElse(List.of());
        roleRefs.addAll(from);
        return count.map(c -> new PlanChangeRule.RuleApprovals(c, Nodes.values(from)));
    }
}
