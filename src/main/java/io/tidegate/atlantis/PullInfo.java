package io.tidegate.atlantis;

import java.util.Objects;

/**
 * The pull request an Atlantis command runs for, as Atlantis describes it ({@code PULL_NUM},
 * {@code PULL_AUTHOR}, ... in a run step; {@code Pull.Num}, {@code Pull.Author}, ... in the
 * webhook). Fields Atlantis may leave empty are empty strings, never null.
 *
 * <p>A run started through Atlantis's API has no user and may name no pull request: its
 * {@code number} is then negative (Atlantis's synthetic {@code nextNonPRPullNum}), its
 * {@code headCommit} may be a branch name and its author and URL are empty. Only such a run,
 * which the gate refuses before reading anything, carries one ({@link #isPullRequest()}).
 */
public record PullInfo(
        int number,
        String author,
        String url,
        String headBranch,
        String baseBranch,
        String headCommit) {
    public PullInfo {
        if (number == 0) {
            throw new IllegalArgumentException("number == 0");
        }
        Objects.requireNonNull(author, "author == null");
        Objects.requireNonNull(url, "url == null");
        Objects.requireNonNull(headBranch, "headBranch == null");
        Objects.requireNonNull(baseBranch, "baseBranch == null");
        Objects.requireNonNull(headCommit, "headCommit == null");
    }

    /** False for the synthetic negative number of an API run that named no pull request. */
    public boolean isPullRequest() {
        return number > 0;
    }
}
