package io.tidegate.policy;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Collects every problem of one file, so the author sees them all at once, in file order. */
final class Problems {
    private final String file;
    private final List<Problem> list = new ArrayList<>();
    /** Problems of other files this one names ({@code repos:}), already located. */
    private final List<String> others = new ArrayList<>();

    Problems(String file) {
        this.file = file;
    }

    void add(YamlNode.Location at, String message) {
        list.add(new Problem(at, message));
    }

    void addLocated(List<String> lines) {
        others.addAll(lines);
    }

    boolean isEmpty() {
        return list.isEmpty() && others.isEmpty();
    }

    /** {@code file:line:column: message} lines, sorted by position. */
    List<String> lines() {
        return list.stream()
                .sorted(Comparator.comparingInt((Problem p) -> p.at.line())
                        .thenComparingInt(p -> p.at.column()))
                .map(p -> file + ":" + p.at.line() + ":" + p.at.column() + ": " + p.message)
                .distinct()
                .collect(java.util.stream.Collectors.collectingAndThen(
                        java.util.stream.Collectors.toCollection(ArrayList::new), l -> {
                            l.addAll(others);
                            return List.copyOf(l);
                        }));
    }

    private record Problem(YamlNode.Location at, String message) {}
}
