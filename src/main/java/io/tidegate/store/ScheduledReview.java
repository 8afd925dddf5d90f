package io.tidegate.store;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * An open pull request Tidegate has reviewed, as the schedule keeps it: when its verdict can
 * next change by time alone ({@code dueAt}, empty when never), in which environment and why,
 * the environments it touches and those whose lock it waits for (so another PR's lock release
 * or deployment finds it without asking GitHub).
 *
 * @param environments every environment the PR's review showed a status for
 * @param lockWaits    environments where the review found another PR holding the lock
 * @param reviewedAt   when it was last reviewed
 */
public record ScheduledReview(
        String repo,
        int number,
        String headSha,
        Optional<Instant> dueAt,
        String environment,
        String why,
        Set<String> environments,
        Set<String> lockWaits,
        Instant reviewedAt) {
    public ScheduledReview {
        Objects.requireNonNull(repo, "repo == null");
        Objects.requireNonNull(headSha, "headSha == null");
        Objects.requireNonNull(dueAt, "dueAt == null");
        Objects.requireNonNull(environment, "environment == null");
        Objects.requireNonNull(why, "why == null");
        environments = Set.copyOf(Objects.requireNonNull(environments, "environments == null"));
        lockWaits = Set.copyOf(Objects.requireNonNull(lockWaits, "lockWaits == null"));
        Objects.requireNonNull(reviewedAt, "reviewedAt == null");
    }

    /** {@code owner/name#number}. */
    public String key() {
        return repo + "#" + number;
    }
}
