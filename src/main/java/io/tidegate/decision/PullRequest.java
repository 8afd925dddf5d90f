package io.tidegate.decision;

import java.util.Objects;
import java.util.Set;

/**
 * The pull request facts the policy reads, as GitHub reports them for the current head commit.
 * {@code repo} is {@code owner/name}; {@code body} is the PR description ("" when empty);
 * {@code title} is the PR's title as its author wrote it ("" when not known, as for a PR
 * described by Atlantis alone). No rule reads the title: messages show it.
 */
public record PullRequest(
        String repo,
        int number,
        String base,
        String headSha,
        String author,
        boolean draft,
        Set<String> labels,
        String body,
        String title) {
    public PullRequest {
        Objects.requireNonNull(repo, "repo == null");
        Objects.requireNonNull(base, "base == null");
        Objects.requireNonNull(headSha, "headSha == null");
        Objects.requireNonNull(author, "author == null");
        labels = Set.copyOf(Objects.requireNonNull(labels, "labels == null"));
        Objects.requireNonNull(body, "body == null");
        Objects.requireNonNull(title, "title == null");
    }

    /** A pull request whose title is not known: policy cases, Atlantis's own description. */
    public PullRequest(String repo, int number, String base, String headSha, String author,
            boolean draft, Set<String> labels, String body) {
        this(repo, number, base, headSha, author, draft, labels, body, "");
    }

    /** {@code owner/name#number}: how locks and messages name a pull request. */
    public String key() {
        return repo + "#" + number;
    }
}
