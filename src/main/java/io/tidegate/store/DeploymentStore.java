package io.tidegate.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Deployment history, kept {@link Retention#DEPLOYMENTS} from each start. */
public interface DeploymentStore {
    /** Inserts or replaces the deployment with this id. */
    void save(Deployment deployment);

    /**
     * Replaces the stored deployment with {@code ended} only while the stored one is still
     * {@link DeploymentStatus#RUNNING}, atomically: {@code false} (and nothing written) when it
     * has ended meanwhile or does not exist. A sweep ending overdue applies uses it, so that it
     * never overwrites a result Atlantis reported a moment earlier, and of several replicas
     * sweeping at once exactly one ends each deployment.
     */
    boolean saveIfRunning(Deployment ended);

    Optional<Deployment> get(String id);

    /**
     * Newest first (by start, then id). A malformed cursor is {@link IllegalArgumentException}.
     */
    DeploymentPage list(DeploymentQuery query);

    /** Every deployment started at or after {@code from} (in one environment, or all). */
    List<Deployment> startedSince(Optional<String> environment, Instant from);
}
