package io.tidegate.store;

import java.util.Locale;

/**
 * How an apply ended, or that it has not yet. {@link #UNKNOWN} is an apply whose result never
 * came: Atlantis did not report it within the environment's lock TTL (Atlantis crashed, its
 * {@code http} webhook is misconfigured), so Tidegate stopped waiting. It is neither a success
 * nor a failure; a result that arrives later replaces it.
 */
public enum DeploymentStatus {
    RUNNING, SUCCEEDED, FAILED, UNKNOWN;

    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }
}
