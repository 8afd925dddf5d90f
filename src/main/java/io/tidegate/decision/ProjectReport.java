package io.tidegate.decision;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What Atlantis reported after planning one project of the PR at one commit: its cost (from
 * Infracost) and its resource changes (from the plan). Empty means not reported, i.e. unknown.
 * {@code recordedAt} is when Tidegate received it, so the engine can tell which reports an
 * approval or override was given after; empty means unknown, and such a report is taken as
 * known from the start (it never makes an approval stale).
 */
public record ProjectReport(ProjectRef project, String commitSha, Optional<CostChange> cost,
        Optional<PlanChange> plan, Optional<Instant> recordedAt) {
    public ProjectReport {
        Objects.requireNonNull(project, "project == null");
        Objects.requireNonNull(commitSha, "commitSha == null");
        Objects.requireNonNull(cost, "cost == null");
        Objects.requireNonNull(plan, "plan == null");
        Objects.requireNonNull(recordedAt, "recordedAt == null");
    }

    /** A report whose time of receipt is unknown. */
    public ProjectReport(ProjectRef project, String commitSha, Optional<CostChange> cost,
            Optional<PlanChange> plan) {
        this(project, commitSha, cost, plan, Optional.empty());
    }

    /** Whether it was received by {@code moment} (unknown times count as from the start). */
    boolean isKnownAt(Instant moment) {
        return recordedAt.isEmpty() || !recordedAt.get().isAfter(moment);
    }
}
