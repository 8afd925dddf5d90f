package io.tidegate.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Deployment history, kept {@link Retention#DEPLOYMENTS} from each start. */
public interface DeploymentStore {
    /** Inserts or replaces the deployment with this id. */
    void save(Deployment deployment);

    Optional<Deployment> get(String id);

    /**
     * Newest first (by start, then id). A malformed cursor is {@link IllegalArgumentException}.
     */
    DeploymentPage list(DeploymentQuery query);

    /** Every deployment started at or after {@code from} (in one environment, or all). */
    List<Deployment> startedSince(Optional<String> environment, Instant from);
}
