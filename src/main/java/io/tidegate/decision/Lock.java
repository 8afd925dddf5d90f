package io.tidegate.decision;

import java.util.Objects;

/** A held deployment lock: the environment and the holder ({@code owner/name#number}). */
public record Lock(String environment, String holder) {
    public Lock {
        Objects.requireNonNull(environment, "environment == null");
        Objects.requireNonNull(holder, "holder == null");
    }
}
