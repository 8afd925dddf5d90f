package io.tidegate.store;

import java.time.Instant;
import java.util.Objects;

import io.tidegate.decision.CostChange;
import io.tidegate.decision.PlanChange;
import io.tidegate.decision.ProjectRef;

/** Infracost figures and plan counts for one project of one PR at one head commit. */
public record CostReport(String repo, int pr, String headSha, ProjectRef project,
        CostChange cost, PlanChange plan, Instant recordedAt) {
    public CostReport {
        Objects.requireNonNull(repo, "repo == null");
        Objects.requireNonNull(headSha, "headSha == null");
        Objects.requireNonNull(project, "project == null");
        Objects.requireNonNull(cost, "cost == null");
        Objects.requireNonNull(plan, "plan == null");
        Objects.requireNonNull(recordedAt, "recordedAt == null");
    }
}
