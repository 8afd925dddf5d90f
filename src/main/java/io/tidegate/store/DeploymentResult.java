package io.tidegate.store;

import java.util.Locale;

/** How an apply ended, or that it has not yet. */
public enum DeploymentResult {
    RUNNING, SUCCEEDED, FAILED;

    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }
}
