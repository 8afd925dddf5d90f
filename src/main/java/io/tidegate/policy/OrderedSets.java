package io.tidegate.policy;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;

/** Immutable sets that keep the policy's order, so messages list names as the author wrote them. */
final class OrderedSets {
    private OrderedSets() {}

    static <T> Set<T> copyOf(Collection<T> items, String field) {
        Objects.requireNonNull(items, field + " == null");
        items.forEach(i -> Objects.requireNonNull(i, field + " contains null"));
        return Collections.unmodifiableSet(new LinkedHashSet<>(items));
    }
}
