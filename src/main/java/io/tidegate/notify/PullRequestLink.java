package io.tidegate.notify;

import java.net.URI;
import java.util.Objects;

/**
 * The pull request as a message shows it: {@code repo} is {@code owner/name}, {@code url} its
 * page on GitHub, {@code author} the GitHub login that opened it.
 */
public record PullRequestLink(String repo, int number, String title, URI url, String author) {
    public PullRequestLink {
        Objects.requireNonNull(repo, "repo == null");
        Objects.requireNonNull(title, "title == null");
        Objects.requireNonNull(url, "url == null");
        Objects.requireNonNull(author, "author == null");
        if (number <= 0) {
            throw new IllegalArgumentException("number must be positive, got " + number);
        }
    }

    /** {@code owner/name#number}, as locks and logs name a pull request. */
    public String key() {
        return repo + "#" + number;
    }
}
