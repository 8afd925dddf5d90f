package io.tidegate.atlantis;

import java.io.IOException;

/**
 * Keeps the cost and resource counts of a planned project at its head commit
 * ({@code POST /api/v1/atlantis/plan}), replacing an earlier report for the same repository, PR,
 * project and commit, and re-evaluates the PR. Returns one line for the hook to print. Must be
 * safe for concurrent use.
 */
public interface PlanReports {
    String record(PlanUpload upload) throws IOException;
}
