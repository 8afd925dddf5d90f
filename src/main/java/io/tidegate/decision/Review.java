package io.tidegate.decision;

import java.util.Objects;

/**
 * One submitted GitHub review, in submission order. {@code commitSha} is the commit the review
 * was given on (GitHub's {@code commit_id}; "" when GitHub did not say, which never counts as
 * the head commit).
 */
public record Review(String user, State state, String commitSha) {
    public Review {
        Objects.requireNonNull(user, "user == null");
        Objects.requireNonNull(state, "state == null");
        Objects.requireNonNull(commitSha, "commitSha == null");
    }

    /** GitHub's review states. */
    public enum State { APPROVED, CHANGES_REQUESTED, COMMENTED, DISMISSED, PENDING }
}
