package io.tidegate.store;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One page of the decision audit across the organisation, newest first, narrowed by any of repo,
 * PR, environment, verdict ({@code allow}/{@code deny}) and period {@code [from, until)}.
 * {@code cursor} is the opaque {@link DecisionLog.Page#nextCursor()} of the previous page.
 */
public record DecisionSearch(Optional<String> repo, Optional<Integer> pr,
        Optional<String> environment, Optional<String> verdict, Optional<Instant> from,
        Optional<Instant> until, int limit, Optional<String> cursor) {
    public static final int MAX_LIMIT = 200;

    public DecisionSearch {
        Objects.requireNonNull(repo, "repo == null");
        Objects.requireNonNull(pr, "pr == null");
        Objects.requireNonNull(environment, "environment == null");
        Objects.requireNonNull(verdict, "verdict == null");
        Objects.requireNonNull(from, "from == null");
        Objects.requireNonNull(until, "until == null");
        Objects.requireNonNull(cursor, "cursor == null");
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be 1.." + MAX_LIMIT + ", got " + limit);
        }
        if (pr.isPresent() && repo.isEmpty()) {
            throw new IllegalArgumentException("pr needs repo");
        }
        verdict.ifPresent(v -> {
            if (!v.equals("allow") && !v.equals("deny")) {
                throw new IllegalArgumentException("verdict must be allow or deny, got '" + v
                        + "'");
            }
        });
    }

    /** The newest decisions, nothing narrowed. */
    public static DecisionSearch newest(int limit) {
        return new DecisionSearch(Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), limit, Optional.empty());
    }
}
