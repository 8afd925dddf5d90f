package io.tidegate.policy;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Collects every problem of one file, so the author sees them all at once, in file order. A
 * problem may carry an excerpt (the offending source line and a caret under the character),
 * shown by the command line after the problem's line.
 */
public final class Problems {
    private final String file;
    private final List<Problem> list = new ArrayList<>();
    /** Problems of other files this one names ({@code repos:}), already located. */
    private final List<String> others = new ArrayList<>();

    public Problems(String file) {
        this.file = file;
    }

    public void add(YamlNode.Location at, String message) {
        list.add(new Problem(at, message, Optional.empty()));
    }

    void add(YamlNode.Location at, String message, String excerpt) {
        list.add(new Problem(at, message, Optional.of(excerpt)));
    }

    void addLocated(List<String> lines) {
        others.addAll(lines);
    }

    public boolean isEmpty() {
        return list.isEmpty() && others.isEmpty();
    }

    /** {@code file:line:column: message} lines, sorted by position. */
    public List<String> lines() {
        List<String> out = new ArrayList<>(sorted().stream().map(this::line).distinct().toList());
        out.addAll(others);
        return List.copyOf(out);
    }

    /** {@link #lines()}, each followed by its excerpt lines when it has one. */
    public List<String> report() {
        List<String> out = new ArrayList<>();
        for (Problem p : sorted()) {
            String line = line(p);
            if (out.contains(line)) {
                continue;
            }
            out.add(line);
            p.excerpt.ifPresent(e -> out.addAll(e.lines().toList()));
        }
        out.addAll(others);
        return out;
    }

    /** The problems as an exception (at least one must have been added). */
    public PolicyFileException exception() {
        return new PolicyFileException(lines(), report());
    }

    private List<Problem> sorted() {
        return list.stream()
                .sorted(Comparator.comparingInt((Problem p) -> p.at.line())
                        .thenComparingInt(p -> p.at.column()))
                .toList();
    }

    private String line(Problem p) {
        return file + ":" + p.at.line() + ":" + p.at.column() + ": " + p.message;
    }

    private record Problem(YamlNode.Location at, String message, Optional<String> excerpt) {}
}
