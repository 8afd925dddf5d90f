package io.tidegate.decision;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A freeze of one environment, asked for on demand ({@code tidegate freeze production --until
 * ... --reason "..."} or {@code POST /api/v1/environments/production/freeze}), as recorded: who
 * froze it, why, from when, until when (empty: until someone unfreezes it), and whether a window
 * override may lift it. Whether it is in force at a moment is {@link #isActiveAt}; the engine
 * reads the freezes as facts and never the clock.
 */
public record Freeze(
        String environment,
        String by,
        String reason,
        Instant since,
        Optional<Instant> until,
        boolean overridable) {
    public Freeze {
        Objects.requireNonNull(environment, "environment == null");
        Objects.requireNonNull(by, "by == null");
        Objects.requireNonNull(reason, "reason == null");
        Objects.requireNonNull(since, "since == null");
        Objects.requireNonNull(until, "until == null");
        if (until.isPresent() && !until.get().isAfter(since)) {
            throw new IllegalArgumentException("a freeze must end after it starts: since "
                    + since + ", until " + until.get());
        }
    }

    /** In force from {@code since} (inclusive) until {@code until} (exclusive), half-open. */
    public boolean isActiveAt(Instant now) {
        return !now.isBefore(since) && until.map(now::isBefore).orElse(true);
    }
}
