package io.tidegate.review;

import java.util.List;
import java.util.Objects;

import io.tidegate.decision.ProjectReport;

/**
 * Everything the sticky comment shows for one head commit: the environments the PR's projects
 * belong to (policy order) and what Atlantis reported per project. No reports means Tidegate
 * is waiting for the Atlantis plan of this commit.
 */
public record ReviewSummary(
        String repo,
        int number,
        String headSha,
        List<EnvironmentReview> environments,
        List<ProjectReport> reports) {
    public ReviewSummary {
        Objects.requireNonNull(repo, "repo == null");
        Objects.requireNonNull(headSha, "headSha == null");
        environments = List.copyOf(environments);
        reports = List.copyOf(reports);
    }

    public boolean isWaitingForPlan() {
        return reports.isEmpty();
    }

    public String shortSha() {
        return headSha.length() > 7 ? headSha.substring(0, 7) : headSha;
    }
}
