package io.tidegate.decision;

import java.math.BigDecimal;
import java.util.Objects;
import java.util.Optional;

/**
 * Infracost's monthly figures for one project at one commit, in USD. Empty means unknown
 * (Infracost printed {@code null} or could not price the project): never treat it as zero.
 */
public record CostChange(Optional<BigDecimal> monthlyIncrease, Optional<BigDecimal> monthlyTotal) {
    public static final CostChange UNKNOWN = new CostChange(Optional.empty(), Optional.empty());

    public CostChange {
        Objects.requireNonNull(monthlyIncrease, "monthlyIncrease == null");
        Objects.requireNonNull(monthlyTotal, "monthlyTotal == null");
    }
}
