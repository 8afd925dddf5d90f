package io.tidegate.review;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

import io.tidegate.decision.Facts;
import io.tidegate.store.Deployment;
import io.tidegate.store.DeploymentStatus;
import io.tidegate.store.DeploymentStore;
import io.tidegate.store.HeldLock;
import io.tidegate.store.LockResult;
import io.tidegate.store.LockStore;

/**
 * Environment locks and deployment records around an apply: the gate takes the lock and starts
 * a record; Atlantis's apply result ends the record and gives the lock back. Locks are owned by
 * the pull request ({@code owner/name#number}), so a PR applying two projects of one environment
 * re-acquires its own lock, and the lock is released only when the PR's last running apply in
 * that environment ends. Safe for concurrent use (the stores are).
 */
public final class Deployments {
    /** How far back a running deployment is looked for: longer than any apply runs. */
    static final Duration LOOKBACK = Duration.ofDays(7);

    private final LockStore locks;
    private final DeploymentStore deployments;

    public Deployments(LockStore locks, DeploymentStore deployments) {
        this.locks = Objects.requireNonNull(locks, "locks == null");
        this.deployments = Objects.requireNonNull(deployments, "deployments == null");
    }

    /** Takes the environment's lock for the PR; the other holder's lock when busy. */
    LockResult lock(String environment, String owner, Duration ttl, Instant now) {
        return locks.acquire(environment, owner, now, ttl);
    }

    /** Starts a running deployment record for an allowed apply. */
    Deployment start(Facts facts, String environment, Instant now) {
        Deployment d = new Deployment(UUID.randomUUID().toString(), facts.pullRequest().repo(),
                facts.pullRequest().number(), facts.pullRequest().headSha(),
                facts.project().label(), environment, facts.actor(), now, Optional.empty(),
                DeploymentStatus.RUNNING, facts.headTree());
        deployments.save(d);
        return d;
    }

    /**
     * The newest running deployment of this project of the PR at this commit: the one the gate
     * started. Empty when the gate did not allow this apply.
     */
    Optional<Deployment> running(String repo, int pr, String project, String commit,
            Instant now) {
        return runningOf(repo, pr, now).stream()
                .filter(d -> d.project().equals(project) && d.commitSha().equals(commit))
                .max(Comparator.comparing(Deployment::startedAt));
    }

    /**
     * The newest deployment of this project of the PR at this commit whose result never came
     * ({@link DeploymentStatus#UNKNOWN}): where a result arriving after the sweep belongs.
     */
    Optional<Deployment> unreported(String repo, int pr, String project, String commit,
            Instant now) {
        return deployments.startedSince(Optional.empty(), now.minus(LOOKBACK)).stream()
                .filter(d -> d.result() == DeploymentStatus.UNKNOWN && d.repo().equals(repo)
                        && d.pr() == pr && d.project().equals(project)
                        && d.commitSha().equals(commit))
                .max(Comparator.comparing(Deployment::startedAt));
    }

    /**
     * The newest deployment of this project of the PR at this commit that has ended with a
     * result (succeeded or failed): what a replayed apply result was already recorded as.
     */
    Optional<Deployment> ended(String repo, int pr, String project, String commit,
            Instant now) {
        return deployments.startedSince(Optional.empty(), now.minus(LOOKBACK)).stream()
                .filter(d -> (d.result() == DeploymentStatus.SUCCEEDED
                        || d.result() == DeploymentStatus.FAILED) && d.repo().equals(repo)
                        && d.pr() == pr && d.project().equals(project)
                        && d.commitSha().equals(commit))
                .max(Comparator.comparing(Deployment::startedAt));
    }

    /**
     * Deployments started at or after {@code since} still running although their environment's
     * lock time ({@code ttl}) has passed since they started: Atlantis has not reported them.
     * Each apply gets the lock's TTL from its own start, even when a later apply of the same PR
     * extended the lock: the extension is for that later apply.
     */
    List<Deployment> overdue(Function<String, Duration> ttl, Instant since, Instant now) {
        return deployments.startedSince(Optional.empty(), since).stream()
                .filter(d -> d.result() == DeploymentStatus.RUNNING
                        && !now.isBefore(d.startedAt().plus(ttl.apply(d.environment()))))
                .toList();
    }

    /**
     * Ends an overdue deployment as unknown at {@code at} (when its wait ran out), unless it
     * ended meanwhile (its result arrived, or another replica's sweep got there first). The
     * lock is left alone: it has lapsed by its TTL, or a later apply of the PR holds it and
     * that apply's result releases it.
     */
    Optional<Deployment> giveUp(Deployment running, Instant at) {
        Deployment unknown = running.unknown(later(running.startedAt(), at));
        return deployments.saveIfRunning(unknown) ? Optional.of(unknown) : Optional.empty();
    }

    /** An ended deployment, and whether ending it released the environment's lock. */
    record Finished(Deployment deployment, boolean lockReleased) {}

    /** Ends the deployment and, unless the PR still applies there, releases the lock. */
    Finished finish(Deployment running, boolean success, Instant now) {
        Deployment done = running.finish(later(running.startedAt(), now), success);
        deployments.save(done);
        String owner = running.repo() + "#" + running.pr();
        // The list comes from an index DynamoDB updates eventually: it may still show this
        // deployment running, so it is left out by id (the others were saved long before).
        boolean othersRunning = runningOf(running.repo(), running.pr(), now).stream()
                .anyMatch(d -> d.environment().equals(running.environment())
                        && !d.id().equals(running.id()));
        // Another project of the same PR is still applying there: the lock stays with the PR.
        return new Finished(done, !othersRunning && locks.release(running.environment(), owner));
    }

    /**
     * Records the real outcome of a deployment already ended unknown (its result came after the
     * sweep). The lock is left alone: it lapsed by its TTL, and one the PR holds now was taken
     * for a later apply, whose own result gives it back.
     */
    Finished finishUnreported(Deployment unknown, boolean success, Instant now) {
        Deployment done = unknown.finish(later(unknown.startedAt(), now), success);
        deployments.save(done);
        return new Finished(done, false);
    }

    /**
     * Gives back a lock the gate took at {@code now} but could not record. A lock the PR held
     * already (an earlier acquire time is kept) stays: another of its applies may be running.
     */
    void releaseIfTakenAt(HeldLock lock, Instant now) {
        if (!lock.acquiredAt().isBefore(now.truncatedTo(ChronoUnit.MILLIS))) {
            locks.release(lock.environment(), lock.owner());
        }
    }

    private List<Deployment> runningOf(String repo, int pr, Instant now) {
        return deployments.startedSince(Optional.empty(), now.minus(LOOKBACK)).stream()
                .filter(d -> d.result() == DeploymentStatus.RUNNING && d.repo().equals(repo)
                        && d.pr() == pr)
                .toList();
    }

    /** A clock that stepped back (NTP) must not make a finish precede its start. */
    private static Instant later(Instant a, Instant b) {
        return b.isBefore(a) ? a : b;
    }
}
