package io.tidegate.policy;

import java.util.List;
import java.util.Objects;

/**
 * A policy file that cannot be used, with every problem found, each as
 * {@code file:line:column: message} (e.g.
 * {@code policies/policy.yaml:12:7: unknown role "devops-leed"}). The message is those lines.
 */
public final class PolicyFileException extends Exception {
    private static final long serialVersionUID = 1L;
    private final List<String> problems;

    public PolicyFileException(List<String> problems) {
        super(String.join("\n", Objects.requireNonNull(problems, "problems == null")));
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("a PolicyFileException needs at least one problem");
        }
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
