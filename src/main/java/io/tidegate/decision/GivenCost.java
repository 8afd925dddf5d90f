package io.tidegate.decision;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Optional;

/**
 * Ties an approval or an override to the cost it was given for. Cost guardrails that, once waved
 * through, never re-block are what users of other tools complain about (product brief): an
 * approver who saw +$120.00/month did not agree to +$450.00.
 *
 * <p>The cost something was given for is the environment's monthly increase at the head commit
 * as known at that moment ({@link EnvironmentReports#monthlyIncreaseKnownAt}): per project the
 * latest report received by then; what nobody had priced yet adds nothing. When the increase now
 * is greater, by any amount, the approval or override no longer counts. Equal or lower keeps it.
 * An approval given before any cost was known was given for nothing: it stops counting once a
 * positive increase is known.
 *
 * <p>Checked only where cost rules apply (the environment has {@code cost:} or the policy has
 * {@code cost_approvals}) and the increase now is known (if not, {@code cost-unknown} denies
 * anyway). An unknown moment (a review without GitHub's {@code submitted_at}) is not checked:
 * facts from before this rule keep their meaning.
 */
final class GivenCost {
    /** Nothing is checked: no cost rules, or the increase now is unknown. */
    static final GivenCost UNCHECKED = new GivenCost(null, null);

    private final EnvironmentReports reports;
    private final BigDecimal now;

    private GivenCost(EnvironmentReports reports, BigDecimal now) {
        this.reports = reports;
        this.now = now;
    }

    static GivenCost of(EnvironmentReports reports, boolean costMatters) {
        Optional<BigDecimal> now = reports.monthlyIncrease();
        return costMatters && now.isPresent() ? new GivenCost(reports, now.get()) : UNCHECKED;
    }

    /** How the cost rose since {@code moment}; empty when it did not or cannot be told. */
    Optional<Rise> riseSince(Optional<Instant> moment) {
        if (reports == null || moment.isEmpty()) {
            return Optional.empty();
        }
        Optional<BigDecimal> given = reports.monthlyIncreaseKnownAt(moment.get());
        // Rule: an approval given before any cost was known was given for an increase of 0.
        if (now.compareTo(given.orElse(BigDecimal.ZERO)) <= 0) {
            return Optional.empty();
        }
        return Optional.of(new Rise(given, now));
    }

    /**
     * The increase something was given for (empty: no cost was known yet) and the greater one
     * now.
     */
    record Rise(Optional<BigDecimal> given, BigDecimal now) {
        /** {@code approved at $120.00/month, now $450.00}. */
        String describe(String verb) {
            return given.map(g -> verb + " at " + Text.usd(g) + "/month, now " + Text.usd(now))
                    .orElse(verb + " before any cost was known, now " + Text.usd(now)
                            + "/month");
        }
    }
}
