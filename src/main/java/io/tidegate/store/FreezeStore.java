package io.tidegate.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import io.tidegate.decision.Freeze;

/**
 * On-demand freezes, at most one per environment: a new freeze of an environment replaces the
 * one before it (to extend or shorten it, freeze again). The store does not judge them: whether
 * one is in force at a moment is {@link Freeze#isActiveAt}, the engine's question. History is in
 * the audit, not here.
 */
public interface FreezeStore {
    /** Records the freeze of its environment, replacing any earlier one. */
    void put(Freeze freeze);

    /** Removes the environment's freeze, returning it when there was one in force at {@code now}. */
    Optional<Freeze> remove(String environment, Instant now);

    /** Every freeze in force at {@code now}, by environment. */
    List<Freeze> active(Instant now);
}
