package io.tidegate.store;

import java.util.List;

/**
 * Overrides per PR. The store does not judge them (role, commit, expiry are the engine's
 * questions); it keeps them until {@link Retention#EXPIRED_OVERRIDES} after they expire.
 */
public interface OverrideStore {
    /** Records an override; the same user, environment and time again replaces it. */
    void add(OverrideRecord record);

    /** Every override recorded on the PR, oldest first. */
    List<OverrideRecord> forPullRequest(String repo, int pr);
}
