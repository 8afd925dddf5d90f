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
public record Reason(ReasonCode code, String message, Optional<String> remedy,
        boolean enforced) {
    /** How {@link #key()} marks a reason of a rule with {@code enforce: false}. */
    public static final String WOULD_DENY = "would-deny:";

    public Reason {
        Objects.requireNonNull(code, "code == null");
        Objects.requireNonNull(message, "message == null");
        Objects.requireNonNull(remedy, "remedy == null");
    }

    /** A reason of an enforced rule. */
    public Reason(ReasonCode code, String message, Optional<String> remedy) {
        this(code, message, remedy, true);
    }

    /**
     * This reason from a rule with {@code enforce: false}: a blocking one becomes "would deny:
     * ..." and blocks nothing; notes are unchanged.
     */
    Reason unenforced() {
        if (!enforced || !code.isBlocking()) {
            return this;
        }
        return new Reason(code, "would deny: " + message, remedy, false);
    }

    static Reason of(ReasonCode code, String message) {
        return new Reason(code, message, Optional.empty());
    }

    static Reason of(ReasonCode code, String message, String remedy) {
        return new Reason(code, message, Optional.of(remedy));
    }

    /**
     * The code's stable spelling ({@code approvals-missing}); for a rule with
     * {@code enforce: false}, prefixed: {@code would-deny:plan-rule-denied}.
     */
    public String key() {
        return enforced ? code.key() : WOULD_DENY + code.key();
    }

    public boolean isBlocking() {
        return code.isBlocking() && enforced;
    }

    /** A blocking reason of a rule with {@code enforce: false}: reported, not denying. */
    public boolean isWouldDeny() {
        return code.isBlocking() && !enforced;
    }
}
