package io.tidegate.decision;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What a Terraform plan does, counted by resource type (from {@code terraform show -json}).
 * A replace counts as a create and a delete; {@code no-op} and {@code read} are not counted.
 */
public record PlanChange(
        Map<String, Integer> createdByType,
        Map<String, Integer> updatedByType,
        Map<String, Integer> deletedByType) {
    public static final PlanChange EMPTY = new PlanChange(Map.of(), Map.of(), Map.of());

    public PlanChange {
        createdByType = sortedCopy(createdByType, "createdByType");
        updatedByType = sortedCopy(updatedByType, "updatedByType");
        deletedByType = sortedCopy(deletedByType, "deletedByType");
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
