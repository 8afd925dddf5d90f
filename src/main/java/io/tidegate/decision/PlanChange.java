package io.tidegate.decision;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What a Terraform plan does, counted by resource type (from {@code terraform show -json}).
 * A replace counts as a create and a delete; {@code no-op} and {@code read} are not counted.
 *
 * @param changes every changed resource with its address, for plan rules; empty when only the
 *                counts are known (a report stored before addresses were kept, a policy test
 *                giving counts): plan rules then cannot be checked and fail closed
 */
public record PlanChange(
        Map<String, Integer> createdByType,
        Map<String, Integer> updatedByType,
        Map<String, Integer> deletedByType,
        Optional<List<ResourceChange>> changes) {
    public static final PlanChange EMPTY = of(List.of());

    public PlanChange {
        createdByType = sortedCopy(createdByType, "createdByType");
        updatedByType = sortedCopy(updatedByType, "updatedByType");
        deletedByType = sortedCopy(deletedByType, "deletedByType");
        changes = Objects.requireNonNull(changes, "changes == null").map(List::copyOf);
    }

    /** Counts only: which resources changed is not known. */
    public PlanChange(Map<String, Integer> createdByType, Map<String, Integer> updatedByType,
            Map<String, Integer> deletedByType) {
        this(createdByType, updatedByType, deletedByType, Optional.empty());
    }

    /** The counts of these changes, and the changes themselves. */
    public static PlanChange of(List<ResourceChange> changes) {
        Map<String, Integer> created = new TreeMap<>();
        Map<String, Integer> updated = new TreeMap<>();
        Map<String, Integer> deleted = new TreeMap<>();
        for (ResourceChange c : changes) {
            count(c, ResourceChange.Action.CREATE, created);
            count(c, ResourceChange.Action.UPDATE, updated);
            count(c, ResourceChange.Action.DELETE, deleted);
        }
        return new PlanChange(created, updated, deleted, Optional.of(changes));
    }

    /**
     * Plan changes described by counts alone (policy tests, examples): each count stands for
     * that many separate changes named {@code TYPE.createdN}, {@code TYPE.updatedN} and
     * {@code TYPE.deletedN}, so plan rules on types see them. Never for a real plan.
     */
    public static PlanChange ofCounts(Map<String, Integer> created, Map<String, Integer> updated,
            Map<String, Integer> deleted) {
        List<ResourceChange> out = new java.util.ArrayList<>();
        new TreeMap<>(created).forEach((t, n) -> named(out, t, "created", n,
                ResourceChange.Action.CREATE));
        new TreeMap<>(updated).forEach((t, n) -> named(out, t, "updated", n,
                ResourceChange.Action.UPDATE));
        new TreeMap<>(deleted).forEach((t, n) -> named(out, t, "deleted", n,
                ResourceChange.Action.DELETE));
        return of(out);
    }

    private static void named(List<ResourceChange> out, String type, String word, int n,
            ResourceChange.Action action) {
        for (int i = 1; i <= n; i++) {
            out.add(new ResourceChange(type + "." + word + i, type, java.util.Set.of(action)));
        }
    }

    private static void count(ResourceChange c, ResourceChange.Action a, Map<String, Integer> m) {
        if (c.actions().contains(a)) {
            m.merge(c.type(), 1, Integer::sum);
        }
    }

    public int created() {
        return sum(createdByType);
    }

    public int updated() {
        return sum(updatedByType);
    }

    public int deleted() {
        return sum(deletedByType);
    }

    private static Map<String, Integer> sortedCopy(Map<String, Integer> m, String field) {
        Objects.requireNonNull(m, field + " == null");
        return java.util.Collections.unmodifiableMap(new TreeMap<>(m));
    }

    private static int sum(Map<String, Integer> m) {
        return m.values().stream().mapToInt(Integer::intValue).sum();
    }
}
