package io.tidegate;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import io.tidegate.http.Readiness;
import io.tidegate.policy.PolicyFileException;
import io.tidegate.policy.PolicyParser;

/** Ready when the policy file exists and {@link PolicyParser} accepts it. */
final class PolicyFileReadiness implements Readiness {
    private final Path file;

    PolicyFileReadiness(Path file) {
        this.file = file;
    }

    @Override
    public Check check() {
        if (!Files.isRegularFile(file)) {
            return Check.failing("policy", "policy file " + file + " does not exist");
        }
        try {
            PolicyParser.parse(file);
            return Check.ready("policy", "policy " + file + " loaded");
        } catch (PolicyFileException e) {
            int more = e.problems().size() - 1;
            return Check.failing("policy", "policy " + file + " is invalid: "
                    + e.problems().get(0) + (more > 0 ? " (and " + more + " more)" : ""));
        } catch (IOException e) {
            return Check.failing("policy", "policy file " + file + " cannot be read: "
                    + e.getMessage());
        }
    }
}
