package io.tidegate.policy;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What the pull request itself must show: labels, a completed task list, Markdown sections.
 *
 * @param labels            every one must be on the PR
 * @param checklistComplete every task-list item ticked, and at least one present
 * @param sections          headings (case-insensitive) each followed by non-empty text
 */
public record Requirements(Set<String> labels, boolean checklistComplete, List<String> sections) {
    public static final Requirements NONE = new Requirements(Set.of(), false, List.of());

    public Requirements {
        labels = OrderedSets.copyOf(labels, "labels");
        sections = List.copyOf(Objects.requireNonNull(sections, "sections == null"));
    }

    /** Both sets of requirements at once (used when a cost tier adds to the environment's). */
    public Requirements and(Requirements other) {
        Set<String> l = new LinkedHashSet<>(labels);
        l.addAll(other.labels);
        Set<String> s = new LinkedHashSet<>(sections);
        other.sections.stream().filter(x -> s.stream().noneMatch(x::equalsIgnoreCase))
                .forEach(s::add);
        return new Requirements(l, checklistComplete || other.checklistComplete, List.copyOf(s));
    }
}
