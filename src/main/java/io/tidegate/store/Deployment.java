package io.tidegate.store;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One apply: who ran it where, when it started and ended, and how it went. Saved when it starts
 * ({@link DeploymentStatus#RUNNING}) and saved again with the same id when it ends.
 *
 * @param treeSha the Git tree of {@code commitSha}, what {@code promotion.same: tree} compares;
 *                empty when it was not known when the apply started
 */
public record Deployment(
        String id,
        String repo,
        int pr,
        String commitSha,
        String project,
        String environment,
        String actor,
        Instant startedAt,
        Optional<Instant> finishedAt,
        DeploymentStatus result,
        Optional<String> treeSha) {
    public Deployment {
        Objects.requireNonNull(id, "id == null");
        Objects.requireNonNull(repo, "repo == null");
        Objects.requireNonNull(commitSha, "commitSha == null");
        Objects.requireNonNull(project, "project == null");
        Objects.requireNonNull(environment, "environment == null");
        Objects.requireNonNull(actor, "actor == null");
        Objects.requireNonNull(startedAt, "startedAt == null");
        Objects.requireNonNull(finishedAt, "finishedAt == null");
        Objects.requireNonNull(result, "result == null");
        Objects.requireNonNull(treeSha, "treeSha == null");
        if (id.isBlank()) {
            throw new IllegalArgumentException("id is blank");
        }
        if (finishedAt.isPresent() != (result != DeploymentStatus.RUNNING)) {
            throw new IllegalArgumentException(
                    "finishedAt must be present exactly when the result is not running");
        }
        if (finishedAt.isPresent() && finishedAt.get().isBefore(startedAt)) {
            throw new IllegalArgumentException("finishedAt is before startedAt");
        }
    }

    /** A deployment whose commit's Git tree is not known (recorded before trees were kept). */
    public Deployment(String id, String repo, int pr, String commitSha, String project,
            String environment, String actor, Instant startedAt, Optional<Instant> finishedAt,
            DeploymentStatus result) {
        this(id, repo, pr, commitSha, project, environment, actor, startedAt, finishedAt, result,
                Optional.empty());
    }

    /**
     * How long it took; empty while running and when the result never came ({@code finishedAt}
     * is then only when Tidegate stopped waiting, not when the apply ended).
     */
    public Optional<Duration> duration() {
        if (result == DeploymentStatus.UNKNOWN) {
            return Optional.empty();
        }
        return finishedAt.map(end -> Duration.between(startedAt, end));
    }

    public Deployment finish(Instant at, boolean success) {
        return new Deployment(id, repo, pr, commitSha, project, environment, actor, startedAt,
                Optional.of(at), success ? DeploymentStatus.SUCCEEDED : DeploymentStatus.FAILED, treeSha);
    }

    /** Ended without a result: Tidegate stopped waiting for one {@code at}. */
    public Deployment unknown(Instant at) {
        return new Deployment(id, repo, pr, commitSha, project, environment, actor, startedAt,
                Optional.of(at), DeploymentStatus.UNKNOWN, treeSha);
    }
}
