package io.tidegate.policy;

import java.util.List;
import java.util.Objects;

/**
 * A policy file that cannot be used, with every problem found, each as
 * {@code file:line:column: message} (e.g.
 * {@code policies/policy.yaml:12:7: unknown role "devops-leed"}). The message is those lines.
 * {@link #report()} adds, under a YAML syntax error, the offending line and a caret.
 */
public final class PolicyFileException extends Exception {
    private static final long serialVersionUID = 1L;
    private final List<String> problems;
    private final List<String> report;

    public PolicyFileException(List<String> problems) {
        this(problems, problems);
    }

    public PolicyFileException(List<String> problems, List<String> report) {
        super(String.join("\n", Objects.requireNonNull(problems, "problems == null")));
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("a PolicyFileException needs at least one problem");
        }
        this.problems = List.copyOf(problems);
        this.report = List.copyOf(Objects.requireNonNull(report, "report == null"));
    }

    public List<String> problems() {
        return problems;
    }

    /** What a person reads: every problem, syntax errors followed by the line and a caret. */
    public List<String> report() {
        return report;
    }
}
