package io.tidegate.review;

import java.util.Objects;

/**
 * Re-evaluates the pull requests of one environment after an environment-wide change made on
 * demand: a freeze started or lifted re-reviews every open PR with a project there; a lock
 * released by hand re-reviews the PRs that waited for it. Both go through the one entry point
 * of live verdicts ({@link ReviewRequests#reviewEnvironment}), deciding from the PRs' stored
 * facts (nothing GitHub knows changed), so a sticky comment and {@code tidegate/<environment>}
 * status follow at once.
 */
public final class EnvironmentReviews {
    private final ReviewRequests reviews;

    public EnvironmentReviews(ReviewRequests reviews) {
        this.reviews = Objects.requireNonNull(reviews, "reviews == null");
    }

    /** A freeze of {@code environment} started or ended; returns how many PRs were asked. */
    public int frozenOrThawed(String environment) {
        return reviews.reviewEnvironment(environment, ReviewTrigger.FREEZE);
    }

    /** The lock of {@code environment} was released by hand; returns how many were asked. */
    public int unlocked(String environment) {
        return reviews.reviewEnvironment(environment, ReviewTrigger.LOCK);
    }
}
