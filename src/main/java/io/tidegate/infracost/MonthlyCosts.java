package io.tidegate.infracost;

import java.math.BigDecimal;
import java.util.Objects;
import java.util.Optional;

/**
 * Monthly cost in the report's currency before the change ({@code past}), after it
 * ({@code current}) and the difference Infracost computed ({@code diff}). Each is empty when
 * Infracost printed {@code null} or left it out: unknown, never zero.
 */
public record MonthlyCosts(
        Optional<BigDecimal> past, Optional<BigDecimal> current, Optional<BigDecimal> diff) {
    public static final MonthlyCosts UNKNOWN =
            new MonthlyCosts(Optional.empty(), Optional.empty(), Optional.empty());

    public MonthlyCosts {
        Objects.requireNonNull(past, "past == null");
        Objects.requireNonNull(current, "current == null");
        Objects.requireNonNull(diff, "diff == null");
    }

    /**
     * The monthly increase: Infracost's own diff when present, else current minus past when both
     * are known, else unknown.
     */
    public Optional<BigDecimal> increase() {
        if (diff.isPresent()) {
            return diff;
        }
        if (past.isPresent() && current.isPresent()) {
            return Optional.of(current.get().subtract(past.get()));
        }
        return Optional.empty();
    }
}
