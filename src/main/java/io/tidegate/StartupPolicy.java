package io.tidegate;

import java.io.IOException;
import java.nio.file.Path;

import io.tidegate.policy.PolicyFileException;
import io.tidegate.policy.PolicyParser;
import io.tidegate.policy.PolicySet;
import io.tidegate.review.PolicySource;

/**
 * STOPGAP until the policy helper's {@code PolicyHolder} (hot reload, last good) lands: the policy
 * file parsed once at start. When it cannot be parsed, {@link #current()} throws, so everything
 * depending on it fails (and is retried) instead of deciding on no policy; readiness reports the
 * file's problem.
 */
final class StartupPolicy implements PolicySource {
    private final PolicySet policy;
    private final String problem;

    private StartupPolicy(PolicySet policy, String problem) {
        this.policy = policy;
        this.problem = problem;
    }

    static PolicySource load(Path file) {
        try {
            return new StartupPolicy(PolicyParser.parse(file), null);
        } catch (PolicyFileException | IOException e) {
            return new StartupPolicy(null, "policy " + file + " could not be loaded at start: "
                    + e.getMessage());
        }
    }

    @Override
    public PolicySet current() {
        if (policy == null) {
            throw new IllegalStateException(problem);
        }
        return policy;
    }
}
