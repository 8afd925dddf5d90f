package io.tidegate.decision;

import java.util.Objects;
import java.util.Optional;

/**
 * One reason of a decision: a stable code, a sentence a developer understands, and where there
 * is one, what would unblock it.
 *
 * <pre>
 * approvals-missing: production needs 2 approvals from devops-lead or cto; 1 counted (lead-park)
 *   remedy: needs 1 more approval from devops-lead or cto
 * </pre>
 */
public record Reason(ReasonCode code, String message, Optional<String> remedy) {
    public Reason {
        Objects.requireNonNull(code, "code == null");
        Objects.requireNonNull(message, "message == null");
        Objects.requireNonNull(remedy, "remedy == null");
    }

    static Reason of(ReasonCode code, String message) {
        return new Reason(code, message, Optional.empty());
    }

    static Reason of(ReasonCode code, String message, String remedy) {
        return new Reason(code, message, Optional.of(remedy));
    }

    /** The code's stable spelling ({@code approvals-missing}). */
    public String key() {
        return code.key();
    }

    public boolean isBlocking() {
        return code.isBlocking();
    }
}
