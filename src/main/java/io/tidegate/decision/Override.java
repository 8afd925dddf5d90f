package io.tidegate.decision;

import java.time.Instant;
import java.util.Objects;

/**
 * An emergency override of a deployment window, as recorded: who gave it, on which head commit,
 * when, and why. Whether it still applies (role, commit, expiry) is the engine's question.
 */
public record Override(String user, String commitSha, Instant at, String reason) {
    public Override {
        Objects.requireNonNull(user, "user == null");
        Objects.requireNonNull(commitSha, "commitSha == null");
        Objects.requireNonNull(at, "at == null");
        Objects.requireNonNull(reason, "reason == null");
    }
}
