package io.tidegate.store;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * One deployment lock per environment (seeds 000/001: one deployment at a time, a lock that
 * expires by itself). Acquire is atomic across threads and replicas: exactly one racer wins.
 */
public interface LockStore {
    /** Seed 000: the lock expires on its own after 30 minutes. */
    Duration DEFAULT_TTL = Duration.ofMinutes(30);

    /**
     * Takes the lock if it is free, expired, or already ours (then its expiry is extended and
     * its acquire time kept); otherwise answers who holds it.
     */
    LockResult acquire(String environment, String owner, Instant now, Duration ttl);

    /** Releases the lock only if {@code owner} holds it; {@code false} otherwise. */
    boolean release(String environment, String owner);

    /** The unexpired holder of the environment's lock, if any. */
    Optional<HeldLock> current(String environment, Instant now);

    /** Every unexpired lock, by environment. */
    List<HeldLock> held(Instant now);
}
