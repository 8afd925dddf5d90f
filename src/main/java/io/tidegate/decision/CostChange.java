package io.tidegate.decision;

import java.math.BigDecimal;
import java.util.Objects;
import java.util.Optional;

/**
 * Infracost's monthly figures for one project at one commit, in the policy's currency. Empty
 * means unknown (Infracost printed {@code null} or could not price the project): never treat it
 * as zero. {@code currency} is the ISO 4217 code Infracost reported ({@code currency} in its JSON
 * output), empty when none was sent or for reports stored before it was kept: figures in another
 * currency than the policy's are not compared with its limits, and the cost-unknown reason names
 * both currencies.
 */
public record CostChange(Optional<BigDecimal> monthlyIncrease, Optional<BigDecimal> monthlyTotal,
        Optional<String> currency) {
    public static final CostChange UNKNOWN = new CostChange(Optional.empty(), Optional.empty());

    public CostChange {
        Objects.requireNonNull(monthlyIncrease, "monthlyIncrease == null");
        Objects.requireNonNull(monthlyTotal, "monthlyTotal == null");
        Objects.requireNonNull(currency, "currency == null");
    }

    /** Figures of no stated currency: read as the policy's. */
    public CostChange(Optional<BigDecimal> monthlyIncrease, Optional<BigDecimal> monthlyTotal) {
        this(monthlyIncrease, monthlyTotal, Optional.empty());
    }

    /** No figures, because Infracost priced them in {@code currency}, not the policy's. */
    public static CostChange otherCurrency(String currency) {
        return new CostChange(Optional.empty(), Optional.empty(), Optional.of(currency));
    }

    /**
     * The record's form, without {@code currency} when it is empty: notification identities
     * are digests of events' text (OutboxNotificationPublisher.identity), and a cost without
     * a currency must keep the identity it had before the currency was kept.
     */
    @java.lang.Override
    public String toString() {
        return "CostChange[monthlyIncrease=" + monthlyIncrease + ", monthlyTotal=" + monthlyTotal
                + currency.map(c -> ", currency=" + c).orElse("") + "]";
    }

    /** Whether these figures may be compared with a policy in {@code policyCurrency}. */
    public boolean isIn(String policyCurrency) {
        return currency.isEmpty() || currency.get().equalsIgnoreCase(policyCurrency);
    }
}
