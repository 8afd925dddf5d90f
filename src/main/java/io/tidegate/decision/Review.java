package io.tidegate.decision;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One submitted GitHub review, in submission order. {@code commitSha} is the commit the review
 * was given on (GitHub's {@code commit_id}; "" when GitHub did not say, which never counts as
 * the head commit). {@code submittedAt} is GitHub's {@code submitted_at}: with it the engine
 * knows which cost an approval was given for; empty (a pending review, or facts built without
 * it) means unknown, and then the approval is not checked against later cost reports.
 */
public record Review(String user, State state, String commitSha, Optional<Instant> submittedAt) {
    public Review {
        Objects.requireNonNull(user, "user == null");
        Objects.requireNonNull(state, "state == null");
        Objects.requireNonNull(commitSha, "commitSha == null");
        Objects.requireNonNull(submittedAt, "submittedAt == null");
    }

    /** A review whose submission time is unknown. */
    public Review(String user, State state, String commitSha) {
        this(user, state, commitSha, Optional.empty());
    }

    /** A review submitted at a known moment. */
    public Review(String user, State state, String commitSha, Instant submittedAt) {
        this(user, state, commitSha, Optional.of(submittedAt));
    }

    /** GitHub's review states. */
    public enum State { APPROVED, CHANGES_REQUESTED, COMMENTED, DISMISSED, PENDING }
}
