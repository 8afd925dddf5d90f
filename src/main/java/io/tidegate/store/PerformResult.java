package io.tidegate.store;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/** What came of one attempt at an effect. */
public sealed interface PerformResult {
    /** Performed now, or found already performed on the remote. */
    record Done() implements PerformResult {}

    /**
     * Failed, worth trying again; {@code retryAfter} is the remote's hint (HTTP
     * {@code Retry-After}, a rate-limit reset), which the dispatcher honours over its backoff.
     */
    record Retry(String error, Optional<Duration> retryAfter) implements PerformResult {
        public Retry {
            Objects.requireNonNull(error, "error == null");
            Objects.requireNonNull(retryAfter, "retryAfter == null");
        }
    }

    /** Failed in a way retrying cannot fix (404 no such PR, 422 invalid body). */
    record Permanent(String error) implements PerformResult {
        public Permanent {
            Objects.requireNonNull(error, "error == null");
        }
    }

    static PerformResult done() {
        return new Done();
    }

    static PerformResult retry(String error) {
        return new Retry(error, Optional.empty());
    }

    static PerformResult retryAfter(String error, Duration after) {
        return new Retry(error, Optional.of(after));
    }

    static PerformResult permanent(String error) {
        return new Permanent(error);
    }
}
