package io.tidegate.github;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads the facts a decision needs from GitHub. The one implementation over the API is
 * {@link GitHubPullRequests}; tests use fakes.
 *
 * <p>Contract: every method either returns complete, current facts or throws
 * {@link GitHubException} naming what could not be gathered; never a partial answer, never a
 * guess (a caller that gets the exception denies). Implementations must be safe for concurrent
 * use by several workers.
 */
public interface PullRequests {
    /**
     * The pull request {@code number} of {@code repo} ({@code owner/name}) at its current head,
     * with all of its reviews.
     */
    PullRequestFacts facts(String repo, int number) throws GitHubException;

    /**
     * For each login, which of {@code teams} ({@code org/slug}) it is an active member of. Every
     * login is a key of the answer (with an empty set when it is in none). Answers may come from a
     * cache for a bounded time; {@link #invalidate} forgets them early.
     */
    Map<String, Set<String>> teams(Set<String> logins, Set<String> teams) throws GitHubException;

    /** Forgets cached memberships a {@code membership}/{@code team} webhook made stale. */
    void invalidate(WebhookEvent.MembershipChange change);

    /**
     * The Git tree SHA of commit {@code sha} of {@code repo}: what {@code promotion.same: tree}
     * compares. A commit's tree never changes, so an answer may be kept for good. A client that
     * cannot read it throws (promotion then denies; it never guesses a tree).
     */
    default String commitTree(String repo, String sha) throws GitHubException {
        throw new GitHubException("read the tree of commit " + sha + " of " + repo,
                GitHubException.Failure.UNAUTHORIZED, "this GitHub client does not read trees",
                null);
    }

    /**
     * The text of the CODEOWNERS file GitHub uses at {@code ref} (a commit or branch), empty
     * when there is none. A client that cannot read it throws: code owners then deny.
     */
    default Optional<String> codeOwners(String repo, String ref) throws GitHubException {
        throw new GitHubException("read CODEOWNERS of " + repo,
                GitHubException.Failure.UNAUTHORIZED, "this GitHub client does not read files",
                null);
    }

    /** Every path the pull request changes (both paths of a rename); throws when not all known. */
    default List<String> changedFiles(String repo, int number) throws GitHubException {
        throw new GitHubException("read the changed files of " + repo + "#" + number,
                GitHubException.Failure.UNAUTHORIZED, "this GitHub client does not read files",
                null);
    }
}
