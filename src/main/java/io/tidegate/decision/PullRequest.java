package io.tidegate.decision;

import java.util.Objects;
import java.util.Set;

/**
 * The pull request facts the policy reads, as GitHub reports them for the current head commit.
 * {@code repo} is {@code owner/name}; {@code body} is the PR description ("" when empty).
 */
public record PullRequest(
        String repo,
        int number,
        String base,
        String headSha,
        String author,
        boolean draft,
        Set<String> labels,
        String body) {
    public PullRequest {
        Objects.requireNonNull(repo, "repo == null");
        Objects.requireNonNull(base, "base == null");
        Objects.requireNonNull(headSha, "headSha == null");
        Objects.requireNonNull(author, "author == null");
        labels = Set.copyOf(Objects.requireNonNull(labels, "labels == null"));
        Objects.requireNonNull(body, "body == null");
    }

    /** {@code owner/name#number}: how locks and messages name a pull request. */
    public String key() {
        return repo + "#" + number;
    }
}
