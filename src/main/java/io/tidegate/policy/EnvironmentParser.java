package io.tidegate.policy;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/** Parses the {@code environments:} section; role and window names are checked afterwards. */
final class EnvironmentParser {
    private static final List<String> ENV_KEYS = List.of("match", "branches", "plan", "apply",
            "cost", "resources", "plan_rules", "promotion", "freeze");
    private static final List<String> FREEZE_KEYS = List.of("by");
    private static final List<String> MATCH_KEYS = List.of("projects", "dirs", "workspaces");
    private static final List<String> PLAN_KEYS = List.of("enabled", "allow");
    private static final List<String> APPLY_KEYS = List.of("enabled", "allow", "approvals",
            "require", "window", "lock");
    private static final List<String> APPROVAL_KEYS = List.of("count", "from", "dismiss_stale",
            "each_of", "codeowners", "enforce");
    private static final List<String> REQUIRE_KEYS = List.of("labels", "checklist", "sections");
    private static final List<String> LOCK_KEYS = List.of("ttl");
    private static final List<String> COST_KEYS = List.of("max_monthly_increase", "over_limit",
            "budget", "enforce");
    private static final List<String> OVER_LIMIT_KEYS = List.of("approvals", "approvals_from",
            "require");
    private static final List<String> BUDGET_KEYS = List.of("monthly", "warn_at_percent");
    private static final List<String> RESOURCE_KEYS = List.of("max_created", "enforce");
    private static final List<String> PROMOTION_KEYS = List.of("after", "same", "soak",
            "enforce");
    private static final Pattern RESOURCE_TYPE = Pattern.compile("[a-z0-9_*]+");

    private final Nodes nodes;
    private final List<Nodes.Located> roleRefs;
    private final List<Nodes.Located> windowRefs;
    /** Each {@code promotion.after}, with the environment that names it. */
    private final List<PromotionRef> promotions = new ArrayList<>();
    /** Where {@code codeowners: true} is written (it needs GitHub credentials). */
    private final List<YamlNode.Location> codeowners = new ArrayList<>();

    record PromotionRef(String environment, Nodes.Located after) {}

    EnvironmentParser(Nodes nodes, List<Nodes.Located> roleRefs, List<Nodes.Located> windowRefs) {
        this.nodes = nodes;
        this.roleRefs = roleRefs;
        this.windowRefs = windowRefs;
    }

    List<Environment> environments(YamlNode node) {
        List<Environment> out = new ArrayList<>();
        Optional<YamlNode.Mapping> m = nodes.namedMapping(node, "environments");
        m.ifPresent(x -> x.entries().values()
                .forEach(e -> environment(e.key(), e.value()).ifPresent(out::add)));
        if (m.isPresent() && m.get().entries().isEmpty()) {
            nodes.problem(node.location(), "environments is empty: every project would be "
                    + "denied with no-environment");
        }
        return out;
    }

    private Optional<Environment> environment(String name, YamlNode node) {
        String what = "environment \"" + name + "\"";
        Optional<YamlNode.Mapping> m = nodes.mapping(node, what, ENV_KEYS);
        if (m.isEmpty()) {
            return Optional.empty();
        }
        Optional<Environment.Match> match = nodes.require(m.get(), "match", what)
                .flatMap(x -> match(x, what));
        List<Nodes.Located> branches = nodes.get(m.get(), "branches")
                .map(b -> nodes.strings(b, "branches")).orElse(List.of());
        Environment.PlanRule plan = nodes.get(m.get(), "plan").map(p -> plan(p, what))
                .orElse(Environment.PlanRule.ANYONE);
        Environment.ApplyRule apply = nodes.get(m.get(), "apply").map(a -> apply(a, what))
                .orElse(new Environment.ApplyRule(true, java.util.Set.of(),
                        Environment.Approvals.NONE, Requirements.NONE,
                        Environment.ApplyRule.ALWAYS, Optional.empty()));
        Optional<CostRule> cost = nodes.get(m.get(), "cost").flatMap(c -> cost(c, what));
        List<ResourceLimit> resources = nodes.get(m.get(), "resources")
                .map(r -> resources(r, what)).orElse(List.of());
        List<PlanChangeRule> planRules = nodes.get(m.get(), "plan_rules")
                .map(r -> new PlanRuleParser(nodes, roleRefs, this).rules(r, what))
                .orElse(List.of());
        Optional<Promotion> promotion = nodes.get(m.get(), "promotion")
                .flatMap(p -> promotion(p, name));
        Optional<FreezeRule> freeze = nodes.get(m.get(), "freeze")
                .map(f -> freezeRule(f, "freeze of " + what));
        return match.map(x -> new Environment(name, x, Nodes.values(branches), plan, apply,
                cost, resources, planRules, promotion, freeze));
    }

    List<PromotionRef> promotions() {
        return promotions;
    }

    List<YamlNode.Location> codeowners() {
        return codeowners;
    }

    /** {@code promotion: { after: staging, same: tree, soak: 1h }}; same defaults to tree. */
    private Optional<Promotion> promotion(YamlNode node, String env) {
        String what = "promotion of environment \"" + env + "\"";
        Optional<YamlNode.Mapping> m = nodes.mapping(node, what, PROMOTION_KEYS);
        if (m.isEmpty()) {
            return Optional.empty();
        }
        Optional<Nodes.Located> after = nodes.require(m.get(), "after", what)
                .flatMap(a -> nodes.string(a, "after").map(v -> new Nodes.Located(v,
                        a.location())));
        after.ifPresent(a -> promotions.add(new PromotionRef(env, a)));
        Optional<Promotion.Same> same = nodes.get(m.get(), "same").map(this::same)
                .orElse(Optional.of(Promotion.Same.TREE));
        Optional<Duration> soak = nodes.get(m.get(), "soak")
                .flatMap(s -> soak(s)).or(() -> nodes.get(m.get(), "soak").isPresent()
                        ? Optional.empty() : Optional.of(Duration.ZERO));
        boolean enforce = nodes.get(m.get(), "enforce").flatMap(e -> nodes.bool(e, "enforce"))
                .orElse(true);
        if (after.isEmpty() || same.isEmpty() || soak.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Promotion(after.get().value(), same.get(), soak.get(), enforce));
    }

    private Optional<Promotion.Same> same(YamlNode node) {
        Optional<String> s = nodes.string(node, "same");
        for (Promotion.Same v : Promotion.Same.values()) {
            if (s.isPresent() && s.get().equals(v.word())) {
                return Optional.of(v);
            }
        }
        s.ifPresent(x -> nodes.problem(node.location(), "same must be tree, commit or pr, found "
                + YamlNode.kind(node)));
        return Optional.empty();
    }

    /** A soak of 0 (or 0m) is allowed: promotion without waiting. */
    private Optional<Duration> soak(YamlNode node) {
        if (node instanceof YamlNode.Scalar
                && ((YamlNode.Scalar) node).text().trim().matches("0(ms|s|m|h|d)?")) {
            return Optional.of(Duration.ZERO);
        }
        return nodes.duration(node, "soak");
    }

    private Optional<Environment.Match> match(YamlNode node, String env) {
        String what = "match of " + env;
        Optional<YamlNode.Mapping> m = nodes.mapping(node, what, MATCH_KEYS);
        if (m.isEmpty()) {
            return Optional.empty();
        }
        if (m.get().entries().isEmpty()) {
            nodes.problem(node.location(), what + " is empty: give projects, dirs or workspaces");
            return Optional.empty();
        }
        List<List<Glob>> globs = new ArrayList<>();
        for (String key : MATCH_KEYS) {
            List<Glob> g = new ArrayList<>();
            nodes.get(m.get(), key).ifPresent(v -> {
                List<Nodes.Located> patterns = nodes.strings(v, key);
                if (patterns.isEmpty()) {
                    nodes.problem(v.location(), key + " of " + env + " is empty: it would match "
                            + "nothing (leave the key out to match anything)");
                }
                patterns.forEach(p -> g.add(new Glob(p.value())));
            });
            globs.add(g);
        }
        return Optional.of(new Environment.Match(globs.get(0), globs.get(1), globs.get(2)));
    }

    private Environment.PlanRule plan(YamlNode node, String env) {
        Optional<YamlNode.Mapping> m = nodes.mapping(node, "plan of " + env, PLAN_KEYS);
        if (m.isEmpty()) {
            return Environment.PlanRule.ANYONE;
        }
        boolean enabled = nodes.get(m.get(), "enabled").flatMap(e -> nodes.bool(e, "enabled"))
                .orElse(true);
        return new Environment.PlanRule(enabled, roles(m.get(), "allow"));
    }

    private Environment.ApplyRule apply(YamlNode node, String env) {
        String what = "apply of " + env;
        Optional<YamlNode.Mapping> m = nodes.mapping(node, what, APPLY_KEYS);
        if (m.isEmpty()) {
            return new Environment.ApplyRule(false, java.util.Set.of(), Environment.Approvals.NONE,
                    Requirements.NONE, Environment.ApplyRule.ALWAYS, Optional.empty());
        }
        YamlNode.Mapping a = m.get();
        boolean enabled = nodes.get(a, "enabled").flatMap(e -> nodes.bool(e, "enabled"))
                .orElse(true);
        Environment.Approvals approvals = nodes.get(a, "approvals")
                .map(x -> approvals(x, what)).orElse(Environment.Approvals.NONE);
        Requirements require = nodes.get(a, "require")
                .map(r -> requirements(r, "require of " + env)).orElse(Requirements.NONE);
        String window = nodes.get(a, "window").flatMap(w -> nodes.string(w, "window"))
                .orElse(Environment.ApplyRule.ALWAYS);
        nodes.get(a, "window").filter(w -> !window.equals(Environment.ApplyRule.ALWAYS))
                .ifPresent(w -> windowRefs.add(new Nodes.Located(window, w.location())));
        Optional<Duration> lock = nodes.get(a, "lock")
                .flatMap(l -> nodes.mapping(l, "lock of " + env, LOCK_KEYS))
                .flatMap(l -> nodes.require(l, "ttl", "lock of " + env))
                .flatMap(t -> nodes.duration(t, "ttl"));
        return new Environment.ApplyRule(enabled, roles(a, "allow"), approvals, require, window,
                lock);
    }

    private Environment.Approvals approvals(YamlNode node, String apply) {
        String what = "approvals of " + apply;
        Optional<YamlNode.Mapping> m = nodes.mapping(node, what, APPROVAL_KEYS);
        if (m.isEmpty()) {
            return Environment.Approvals.NONE;
        }
        // count may be left out when each_of or codeowners says what is needed.
        boolean countOptional = nodes.get(m.get(), "each_of").isPresent()
                || nodes.get(m.get(), "codeowners").isPresent();
        int count = (countOptional ? nodes.get(m.get(), "count")
                : nodes.require(m.get(), "count", what))
                .flatMap(c -> nodes.count(c, "count")).orElse(0);
        boolean dismissStale = nodes.get(m.get(), "dismiss_stale")
                .flatMap(d -> nodes.bool(d, "dismiss_stale")).orElse(true);
        java.util.Set<String> from = roles(m.get(), "from");
        java.util.Set<String> eachOf = roles(m.get(), "each_of");
        nodes.get(m.get(), "each_of").filter(e -> eachOf.isEmpty()).ifPresent(e -> nodes.problem(
                e.location(), "each_of of " + apply + " is empty: name the roles of which one "
                        + "approval each is needed (or leave the key out)"));
        boolean codeowners = nodes.get(m.get(), "codeowners")
                .flatMap(c -> nodes.bool(c, "codeowners")).orElse(false);
        if (codeowners) {
            this.codeowners.add(m.get().entries().get("codeowners").keyLocation());
        }
        boolean enforce = nodes.get(m.get(), "enforce").flatMap(e -> nodes.bool(e, "enforce"))
                .orElse(true);
        return new Environment.Approvals(count, from, dismissStale, eachOf, codeowners,
                enforce);
    }

    Requirements requirements(YamlNode node, String what) {
        Optional<YamlNode.Mapping> m = nodes.mapping(node, what, REQUIRE_KEYS);
        if (m.isEmpty()) {
            return Requirements.NONE;
        }
        List<Nodes.Located> labels = nodes.get(m.get(), "labels")
                .map(l -> nodes.strings(l, "labels")).orElse(List.of());
        boolean checklist = nodes.get(m.get(), "checklist").map(this::checklist).orElse(false);
        List<Nodes.Located> sections = nodes.get(m.get(), "sections")
                .map(s -> nodes.strings(s, "sections")).orElse(List.of());
        return new Requirements(Nodes.values(labels), checklist,
                List.copyOf(Nodes.values(sections)));
    }

    private boolean checklist(YamlNode node) {
        if (node instanceof YamlNode.Scalar) {
            String t = ((YamlNode.Scalar) node).text();
            if (t.equals("complete") || t.equals("false")) {
                return t.equals("complete");
            }
        }
        nodes.problem(node.location(), "checklist must be \"complete\" (or left out), found "
                + YamlNode.kind(node));
        return false;
    }

    private Optional<CostRule> cost(YamlNode node, String env) {
        String what = "cost of " + env;
        Optional<YamlNode.Mapping> m = nodes.mapping(node, what, COST_KEYS);
        if (m.isEmpty()) {
            return Optional.empty();
        }
        Optional<BigDecimal> max = nodes.get(m.get(), "max_monthly_increase")
                .flatMap(x -> nodes.money(x, "max_monthly_increase"));
        Optional<CostRule.OverLimit> over = nodes.get(m.get(), "over_limit")
                .flatMap(o -> overLimit(o, env));
        Optional<CostRule.Budget> budget = nodes.get(m.get(), "budget")
                .flatMap(b -> budget(b, env));
        nodes.get(m.get(), "over_limit").filter(o -> nodes.get(m.get(), "max_monthly_increase")
                .isEmpty()).ifPresent(o -> nodes.problem(o.location(), "over_limit of " + env
                        + " needs max_monthly_increase: there is no limit to exceed"));
        boolean enforce = nodes.get(m.get(), "enforce").flatMap(e -> nodes.bool(e, "enforce"))
                .orElse(true);
        return Optional.of(new CostRule(max, over, budget, enforce));
    }

    private Optional<CostRule.OverLimit> overLimit(YamlNode node, String env) {
        String what = "over_limit of " + env;
        Optional<YamlNode.Mapping> m = nodes.mapping(node, what, OVER_LIMIT_KEYS);
        if (m.isEmpty()) {
            return Optional.empty();
        }
        int approvals = nodes.get(m.get(), "approvals").flatMap(a -> nodes.count(a, "approvals"))
                .orElse(0);
        Requirements require = nodes.get(m.get(), "require")
                .map(r -> requirements(r, "require of " + what)).orElse(Requirements.NONE);
        return Optional.of(new CostRule.OverLimit(approvals, roles(m.get(), "approvals_from"),
                require));
    }

    private Optional<CostRule.Budget> budget(YamlNode node, String env) {
        String what = "budget of " + env;
        Optional<YamlNode.Mapping> m = nodes.mapping(node, what, BUDGET_KEYS);
        if (m.isEmpty()) {
            return Optional.empty();
        }
        Optional<BigDecimal> monthly = nodes.require(m.get(), "monthly", what)
                .flatMap(x -> nodes.money(x, "monthly"));
        Optional<BigDecimal> warn = nodes.get(m.get(), "warn_at_percent")
                .flatMap(x -> nodes.money(x, "warn_at_percent"));
        Optional<YamlNode> warnNode = nodes.get(m.get(), "warn_at_percent");
        if (warn.isPresent() && warn.get().compareTo(BigDecimal.valueOf(100)) > 0) {
            nodes.problem(warnNode.get().location(), "warn_at_percent must be at most 100, found "
                    + warn.get().toPlainString());
        }
        return monthly.map(x -> new CostRule.Budget(x, warn.orElse(BigDecimal.valueOf(100))));
    }

    private List<ResourceLimit> resources(YamlNode node, String env) {
        String what = "resources of " + env;
        List<ResourceLimit> out = new ArrayList<>();
        boolean enforce = nodes.mapping(node, what, RESOURCE_KEYS)
                .flatMap(m -> nodes.get(m, "enforce")).flatMap(e -> nodes.bool(e, "enforce"))
                .orElse(true);
        nodes.namedMapping(node, what).map(m -> (YamlNode.Mapping) m)
                .flatMap(m -> nodes.get(m, "max_created"))
                .flatMap(mc -> nodes.namedMapping(mc, "max_created of " + env))
                .ifPresent(mc -> mc.entries().values().forEach(e -> {
                    List<Glob> types = new ArrayList<>();
                    for (String alt : e.key().split("\\|", -1)) {
                        if (!RESOURCE_TYPE.matcher(alt.trim()).matches()) {
                            nodes.problem(e.keyLocation(), "bad resource type \"" + alt
                                    + "\" in \"" + e.key() + "\": expected Terraform type names "
                                    + "or globs (a-z, 0-9, _, *) separated by |");
                        }
                        types.add(new Glob(alt.trim()));
                    }
                    nodes.count(e.value(), "max_created " + e.key())
                            .ifPresent(n -> out.add(new ResourceLimit(e.key(), types, n,
                                    enforce)));
                }));
        return out;
    }

    /**
     * {@code freeze: { by: [roles] }}: who may freeze, unfreeze and unlock. An empty {@code by}
     * is an error (write no rule instead: then nobody may, through comments).
     */
    FreezeRule freezeRule(YamlNode node, String what) {
        Optional<YamlNode.Mapping> m = nodes.mapping(node, what, FREEZE_KEYS);
        if (m.isEmpty()) {
            return FreezeRule.NOBODY;
        }
        Optional<YamlNode> by = nodes.require(m.get(), "by", what);
        if (by.isPresent() && by.get() instanceof YamlNode.Sequence
                && ((YamlNode.Sequence) by.get()).items().isEmpty()) {
            nodes.problem(by.get().location(), "by of " + what + " is empty: nobody could "
                    + "freeze (leave freeze out instead)");
        }
        return new FreezeRule(roles(m.get(), "by"));
    }

    /** Role names under {@code key}, remembered for the check once all roles are known. */
    private java.util.Set<String> roles(YamlNode.Mapping m, String key) {
        List<Nodes.Located> refs = nodes.get(m, key).map(r -> nodes.strings(r, key))
                .orElse(List.of());
        roleRefs.addAll(refs);
        return Nodes.values(refs);
    }
}
