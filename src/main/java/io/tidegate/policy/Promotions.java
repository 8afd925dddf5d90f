package io.tidegate.policy;

import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks the environments' {@code promotion.after} names once all environments are known: an
 * environment promoted after itself, a cycle (production after staging after production: no
 * apply could ever run in either), or after an environment where apply is disabled (no apply
 * there could ever succeed). Unknown names are reported with the other environment names.
 */
final class Promotions {
    private final Nodes nodes;

    Promotions(Nodes nodes) {
        this.nodes = nodes;
    }

    void check(List<EnvironmentParser.PromotionRef> refs, List<Environment> environments) {
        Map<String, String> after = new HashMap<>();
        refs.forEach(r -> after.put(r.environment(), r.after().value()));
        for (EnvironmentParser.PromotionRef r : refs) {
            String target = r.after().value();
            if (target.equals(r.environment())) {
                nodes.problem(r.after().location(), "environment \"" + r.environment()
                        + "\" is promoted after itself: no apply could ever run there");
                continue;
            }
            cycle(r.environment(), after).ifPresent(path -> nodes.problem(r.after().location(),
                    "promotion cycle " + String.join(" after ", path) + ": no apply could "
                            + "ever run in these environments"));
            environments.stream().filter(e -> e.name().equals(target))
                    .filter(e -> !e.apply().enabled()).findFirst()
                    .ifPresent(e -> nodes.problem(r.after().location(), "environment \""
                            + r.environment() + "\" is promoted after " + target + ", where "
                            + "apply is disabled: no apply there could ever succeed"));
        }
    }

    /** The path back to {@code start} following {@code after}, if there is one. */
    private static java.util.Optional<List<String>> cycle(String start, Map<String, String> after) {
        Set<String> path = new LinkedHashSet<>();
        String at = start;
        while (at != null && path.add(at)) {
            at = after.get(at);
        }
        if (start.equals(at)) {
            List<String> out = new java.util.ArrayList<>(path);
            out.add(start);
            return java.util.Optional.of(out);
        }
        return java.util.Optional.empty();
    }
}
