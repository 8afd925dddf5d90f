package io.tidegate.atlantis;

import java.util.Objects;

/**
 * The pull request an Atlantis command runs for, as Atlantis describes it ({@code PULL_NUM},
 * {@code PULL_AUTHOR}, ... in a run step; {@code Pull.Num}, {@code Pull.Author}, ... in the
 * webhook). Fields Atlantis may leave empty are empty strings, never null.
 */
public record PullInfo(
        int number,
        String author,
        String url,
        String headBranch,
        String baseBranch,
        String headCommit) {
    public PullInfo {
        if (number <= 0) {
            throw new IllegalArgumentException("number <= 0: " + number);
        }
        Objects.requireNonNull(author, "author == null");
        Objects.requireNonNull(url, "url == null");
        Objects.requireNonNull(headBranch, "headBranch == null");
        Objects.requireNonNull(baseBranch, "baseBranch == null");
        Objects.requireNonNull(headCommit, "headCommit == null");
    }
}
