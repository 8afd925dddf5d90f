package io.tidegate.github;

import java.util.List;
import java.util.Objects;

import io.tidegate.decision.PullRequest;
import io.tidegate.decision.Review;

/**
 * What GitHub says about one pull request now: the PR at its head commit, whether its head comes
 * from a fork, whether it is still open, and every review in submission order (all pages).
 */
public record PullRequestFacts(
        PullRequest pullRequest,
        String headRef,
        boolean fork,
        boolean open,
        List<Review> reviews) {
    public PullRequestFacts {
        Objects.requireNonNull(pullRequest, "pullRequest == null");
        Objects.requireNonNull(headRef, "headRef == null");
        reviews = List.copyOf(Objects.requireNonNull(reviews, "reviews == null"));
    }
}
