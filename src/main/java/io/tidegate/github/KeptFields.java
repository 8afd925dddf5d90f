package io.tidegate.github;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The fields of a webhook payload Tidegate reads, as dotted paths; {@link KeptJsonReader} builds
 * a JSON tree of only those. A {@code pull_request} delivery is about 27 KB of which the parser
 * reads some thirty fields; a tree of the whole payload was a third of the intake's CPU (JFR over
 * {@code bench/run}). A path into an array applies to each of its elements
 * ({@code pull_request.labels.name}); the last name of a path keeps that whole value.
 *
 * <p>Reading a field that is not kept is a programming error, not a missing field: {@link #child}
 * throws {@link IllegalStateException}, so a new field read without being added here fails
 * the first test that reaches it instead of looking absent.
 */
final class KeptFields {
    /** name → what is kept of that field's value; a leaf (no children) keeps the whole value. */
    private final Map<String, KeptFields> children;

    private KeptFields(Map<String, KeptFields> children) {
        this.children = children;
    }

    static KeptFields of(String... paths) {
        Map<String, Object> tree = new LinkedHashMap<>();
        for (String path : paths) {
            add(tree, Arrays.asList(path.split("\\.")), 0);
        }
        return build(tree);
    }

    @SuppressWarnings("unchecked")
    private static void add(Map<String, Object> tree, java.util.List<String> parts, int i) {
        Map<String, Object> next = (Map<String, Object>) tree.computeIfAbsent(parts.get(i),
                k -> new LinkedHashMap<String, Object>());
        if (i + 1 < parts.size()) {
            add(next, parts, i + 1);
        }
    }

    @SuppressWarnings("unchecked")
    private static KeptFields build(Map<String, Object> tree) {
        Map<String, KeptFields> children = new LinkedHashMap<>();
        tree.forEach((name, sub) -> children.put(name, build((Map<String, Object>) sub)));
        return new KeptFields(Collections.unmodifiableMap(children));
    }

    boolean keepsWholeValue() {
        return children.isEmpty();
    }

    /** What is kept of field {@code name}, or null when it is skipped. */
    KeptFields childOrNull(String name) {
        return keepsWholeValue() ? this : children.get(name);
    }
}
