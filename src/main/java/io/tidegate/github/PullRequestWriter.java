package io.tidegate.github;

import java.util.Objects;
import java.util.Optional;

/**
 * Everything Tidegate writes on a pull request. Each method makes one attempt and is idempotent:
 * repeating it after a failure or a crash leaves GitHub as one successful call would (an outbox
 * retries). Implementations must be safe for concurrent use.
 *
 * <p>{@link GitHubPullRequestWriter} writes through the API; {@link LoggingPullRequestWriter}
 * (dry run) only logs what would be written.
 */
public interface PullRequestWriter {
    /** What a write did. */
    enum Written { CREATED, UPDATED, UNCHANGED }

    /** The sticky comment after {@link #upsertStickyComment}; no URL in dry run. */
    record CommentWrite(Written written, Optional<String> htmlUrl) {
        public CommentWrite {
            Objects.requireNonNull(written, "written == null");
            Objects.requireNonNull(htmlUrl, "htmlUrl == null");
        }
    }

    /**
     * Creates or edits Tidegate's one comment on the PR, found by {@code marker} (a hidden HTML
     * comment such as {@code <!-- tidegate:summary -->}) at the start of a comment that Tidegate's
     * own GitHub identity wrote; a marked comment by anyone else is never edited. The body is
     * prefixed with the marker when it lacks it and cut to {@link CommentLimit#MAX_CHARS}; an
     * unchanged body writes nothing.
     */
    CommentWrite upsertStickyComment(String repo, int number, String marker, String body)
            throws GitHubException;

    /** Sets the commit status unless the latest status of that context already says the same. */
    Written setStatus(String repo, String sha, CommitStatus status) throws GitHubException;

    /** Adds a comment to the PR conversation (cut to {@link CommentLimit#MAX_CHARS}). */
    void replyToComment(String repo, int number, String body) throws GitHubException;
}
