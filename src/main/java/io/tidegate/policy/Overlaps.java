package io.tidegate.policy;

import java.util.List;

/**
 * Finds environments that can never be chosen (an earlier one matches everything they match)
 * or that compete for the same projects. Globs are compared by example: a pattern's example
 * string (wildcards as "x") matched by the other side's patterns means they overlap. This
 * finds the common mistakes ({@code prod-*} before {@code prod-eu}) without deciding glob
 * intersection in general.
 */
final class Overlaps {
    private final Nodes nodes;

    Overlaps(Nodes nodes) {
        this.nodes = nodes;
    }

    void check(List<Environment> environments, YamlNode.Mapping top) {
        for (int later = 1; later < environments.size(); later++) {
            for (int earlier = 0; earlier < later; earlier++) {
                Environment a = environments.get(earlier);
                Environment b = environments.get(later);
                if (!overlap(a.match(), b.match())) {
                    continue;
                }
                YamlNode.Location at = location(top, b.name());
                if (covers(a.match(), b.match())) {
                    nodes.problem(at, "environment \"" + b.name() + "\" is unreachable: "
                            + "environment \"" + a.name() + "\" comes first and matches every "
                            + "project it matches");
                } else {
                    nodes.problem(at, "environment \"" + b.name() + "\" overlaps environment \""
                            + a.name() + "\": a project can match both; make their matches "
                            + "disjoint");
                }
            }
        }
    }

    private static boolean overlap(Environment.Match a, Environment.Match b) {
        return overlap(a.projects(), b.projects()) && overlap(a.dirs(), b.dirs())
                && overlap(a.workspaces(), b.workspaces());
    }

    /** Unconstrained keys overlap anything; otherwise some example of one fits the other. */
    private static boolean overlap(List<Glob> a, List<Glob> b) {
        if (a.isEmpty() || b.isEmpty()) {
            return true;
        }
        return a.stream().anyMatch(x -> b.stream().anyMatch(
                y -> x.matches(y.example()) || y.matches(x.example())));
    }

    /** Whether {@code a} matches at least everything {@code b} matches, key by key. */
    private static boolean covers(Environment.Match a, Environment.Match b) {
        return covers(a.projects(), b.projects()) && covers(a.dirs(), b.dirs())
                && covers(a.workspaces(), b.workspaces());
    }

    private static boolean covers(List<Glob> a, List<Glob> b) {
        if (a.isEmpty()) {
            return true;
        }
        if (b.isEmpty()) {
            return a.stream().anyMatch(g -> g.pattern().equals("**"));
        }
        return b.stream().allMatch(y -> a.stream().anyMatch(x -> covers(x, y)));
    }

    private static boolean covers(Glob x, Glob y) {
        if (x.equals(y) || x.pattern().equals("**")) {
            return true;
        }
        if (y.isLiteral()) {
            return x.matches(y.pattern());
        }
        String p = x.pattern();
        return p.endsWith("**") && y.pattern().startsWith(p.substring(0, p.length() - 2));
    }

    private static YamlNode.Location location(YamlNode.Mapping top, String environment) {
        YamlNode.Entry envs = top.entries().get("environments");
        if (envs != null && envs.value() instanceof YamlNode.Mapping) {
            YamlNode.Entry e = ((YamlNode.Mapping) envs.value()).entries().get(environment);
            if (e != null) {
                return e.keyLocation();
            }
        }
        return top.location();
    }
}
