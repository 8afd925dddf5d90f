package io.tidegate.policy;

import java.math.BigDecimal;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * An environment's cost rule, in USD per month as Infracost reports it.
 *
 * @param maxMonthlyIncrease the PR's summed increase in this environment may not exceed it
 * @param overLimit          how a PR may exceed the limit; empty = a hard limit
 * @param budget             the environment's monthly budget; empty = none
 * @param enforce            false: a limit or budget exceeded is reported as "would deny"
 */
public record CostRule(
        Optional<BigDecimal> maxMonthlyIncrease,
        Optional<OverLimit> overLimit,
        Optional<Budget> budget,
        boolean enforce) {
    public CostRule {
        Objects.requireNonNull(maxMonthlyIncrease, "maxMonthlyIncrease == null");
        Objects.requireNonNull(overLimit, "overLimit == null");
        Objects.requireNonNull(budget, "budget == null");
    }

    /** An enforced cost rule. */
    public CostRule(Optional<BigDecimal> maxMonthlyIncrease, Optional<OverLimit> overLimit,
            Optional<Budget> budget) {
        this(maxMonthlyIncrease, overLimit, budget, true);
    }

    /** Extra approvals and requirements that let a PR exceed the limit. */
    public record OverLimit(int approvals, Set<String> approvalsFrom, Requirements require) {
        public OverLimit {
            approvalsFrom = OrderedSets.copyOf(approvalsFrom, "approvalsFrom");
            Objects.requireNonNull(require, "require == null");
        }
    }

    /** A monthly budget and the share of it at which to warn. */
    public record Budget(BigDecimal monthly, BigDecimal warnAtPercent) {
        public Budget {
            Objects.requireNonNull(monthly, "monthly == null");
            Objects.requireNonNull(warnAtPercent, "warnAtPercent == null");
        }

        /** The total above which a warning is due: {@code monthly * warn_at_percent / 100}. */
        public BigDecimal warnAbove() {
            return monthly.multiply(warnAtPercent).movePointLeft(2);
        }
    }
}
