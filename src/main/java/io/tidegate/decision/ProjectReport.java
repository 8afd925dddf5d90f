package io.tidegate.decision;

import java.util.Objects;
import java.util.Optional;

/**
 * What Atlantis reported after planning one project of the PR at one commit: its cost (from
 * Infracost) and its resource changes (from the plan). Empty means not reported, i.e. unknown.
 */
public record ProjectReport(
        ProjectRef project, String commitSha, Optional<CostChange> cost, Optional<PlanChange> plan) {
    public ProjectReport {
        Objects.requireNonNull(project, "project == null");
        Objects.requireNonNull(commitSha, "commitSha == null");
        Objects.requireNonNull(cost, "cost == null");
        Objects.requireNonNull(plan, "plan == null");
    }
}
