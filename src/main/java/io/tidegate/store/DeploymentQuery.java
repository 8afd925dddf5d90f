package io.tidegate.store;

import java.util.Objects;
import java.util.Optional;

/**
 * One page of deployments, newest first, optionally for one environment and one repo.
 * {@code cursor} is the opaque {@link DeploymentPage#nextCursor()} of the previous page.
 */
public record DeploymentQuery(Optional<String> environment, Optional<String> repo, int limit,
        Optional<String> cursor) {
    public static final int MAX_LIMIT = 200;

    public DeploymentQuery {
        Objects.requireNonNull(environment, "environment == null");
        Objects.requireNonNull(repo, "repo == null");
        Objects.requireNonNull(cursor, "cursor == null");
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be 1.." + MAX_LIMIT + ", got " + limit);
        }
    }
}
