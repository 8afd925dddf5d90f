package io.tidegate.policy;

import java.math.BigDecimal;
import java.util.Objects;
import java.util.Set;

/**
 * One row of {@code cost_approvals}: a PR whose monthly increase in an environment is strictly
 * above {@code above} needs {@code approvals} approvals there (the highest such row applies),
 * at least one from {@code approvalsFrom} when given, and meets {@code require}.
 */
public record CostTier(
        BigDecimal above, int approvals, Set<String> approvalsFrom, Requirements require) {
    public CostTier {
        Objects.requireNonNull(above, "above == null");
        approvalsFrom = OrderedSets.copyOf(approvalsFrom, "approvalsFrom");
        Objects.requireNonNull(require, "require == null");
    }
}
