package io.tidegate.store;

import java.util.List;

/**
 * The latest report per repo, PR, head commit and project: a new plan of the same project at
 * the same commit replaces the earlier report.
 */
public interface CostReportStore {
    void put(CostReport report);

    /** Every project's report at that commit, ordered by project dir, workspace and name. */
    List<CostReport> forCommit(String repo, int pr, String headSha);
}
