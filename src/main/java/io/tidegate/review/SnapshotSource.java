package io.tidegate.review;

import java.time.Instant;
import java.util.Set;

import io.tidegate.decision.PullRequest;

/**
 * Gathers a {@link PullRequestSnapshot}: the PR and its reviews from GitHub, team memberships of
 * the people involved, and the head commit's reports, overrides and held locks from the store.
 * Either the whole snapshot or {@link FactsUnavailableException}: never a partial one, since a
 * missing fact must deny rather than be guessed. Safe for concurrent use.
 */
public interface SnapshotSource {
    /**
     * @param extraLogins logins whose teams are needed besides the author and reviewers (the
     *                    person running a command)
     */
    PullRequestSnapshot snapshot(String repo, int number, Set<String> extraLogins, Instant now)
            throws FactsUnavailableException;

    /**
     * The snapshot with GitHub's part taken from {@code stored} (no GitHub call) and the
     * store's part read now. By default it reads everything afresh.
     */
    default PullRequestSnapshot snapshot(StoredFacts stored, Instant now)
            throws FactsUnavailableException {
        PullRequest pr = stored.pullRequest();
        return snapshot(pr.repo(), pr.number(), Set.of(), now);
    }
}
