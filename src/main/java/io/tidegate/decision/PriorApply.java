package io.tidegate.decision;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A successful apply Tidegate recorded, as promotion reads it: in which environment, of which
 * pull request, commit and Git tree, and when it finished. The tree is empty when it was not
 * known; such an apply never counts for {@code same: tree}.
 */
public record PriorApply(String environment, String repo, int pullNumber, String commitSha,
        Optional<String> treeSha, Instant finishedAt) {
    public PriorApply {
        Objects.requireNonNull(environment, "environment == null");
        Objects.requireNonNull(repo, "repo == null");
        Objects.requireNonNull(commitSha, "commitSha == null");
        Objects.requireNonNull(treeSha, "treeSha == null");
        Objects.requireNonNull(finishedAt, "finishedAt == null");
    }
}
