package io.tidegate.policy;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Collects every problem of one file, so the author sees them all at once, in file order. */
final class Problems {
    private final String file;
    private final List<Problem> list = new ArrayList<>();

    Problems(String file) {
        this.file = file;
    }

    void add(YamlNode.Location at, String message) {
        list.add(new Problem(at, message));
    }

    boolean isEmpty() {
        return list.isEmpty();
    }

    /** {@code file:line:column: message} lines, sorted by position. */
    List<String> lines() {
        return list.stream()
                .sorted(Comparator.comparingInt((Problem p) -> p.at.line())
                        .thenComparingInt(p -> p.at.column()))
                .map(p -> file + ":" + p.at.line() + ":" + p.at.column() + ": " + p.message)
                .distinct()
                .toList();
    }

    private record Problem(YamlNode.Location at, String message) {}
}
