package io.tidegate.atlantis;

import java.util.Objects;
import java.util.Optional;

import io.tidegate.decision.PlanChange;
import io.tidegate.infracost.InfracostReport;

/**
 * One {@code tidegate-hook report} upload, parsed: where the plan ran, what it changes and,
 * when Infracost ran, its report (empty = cost unknown).
 */
public record PlanUpload(RunContext context, PlanChange plan, Optional<InfracostReport> cost) {
    public PlanUpload {
        Objects.requireNonNull(context, "context == null");
        Objects.requireNonNull(plan, "plan == null");
        Objects.requireNonNull(cost, "cost == null");
    }
}
