package io.tidegate.notify;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One finished apply, as CloudWatch counts it: the environment, whether it succeeded, how long
 * it took (empty when its start was not seen) and when it finished.
 */
public record FinishedDeployment(
        String environment,
        boolean succeeded,
        Optional<Duration> duration,
        Instant finishedAt) {
    public FinishedDeployment {
        Objects.requireNonNull(environment, "environment == null");
        Objects.requireNonNull(duration, "duration == null");
        Objects.requireNonNull(finishedAt, "finishedAt == null");
        if (environment.isBlank()) {
            throw new IllegalArgumentException("environment is blank");
        }
    }
}
