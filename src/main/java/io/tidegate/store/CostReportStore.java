package io.tidegate.store;

import java.time.Instant;
import java.util.List;

import io.tidegate.decision.ProjectRef;

/**
 * The latest report per repo, PR, head commit and project: a new plan of the same project at
 * the same commit replaces the earlier report. The replaced ones are kept as history, because an
 * approval given between two reports was given for the earlier cost.
 */
public interface CostReportStore {
    void put(CostReport report);

    /** Every project's report at that commit, ordered by project dir, workspace and name. */
    List<CostReport> forCommit(String repo, int pr, String headSha);

    /**
     * Every report received for that commit, replaced ones included, oldest first (by
     * {@code recordedAt}, then project dir, workspace and name): the last one per project is the
     * one {@link #forCommit} returns.
     */
    List<CostReport> historyForCommit(String repo, int pr, String headSha);

    /**
     * Each project of each PR reported at or after {@code since} (any commit), once: which PRs
     * were planned lately and what they touch, to find the PRs an environment-wide change (a
     * freeze) re-evaluates. Unordered.
     */
    List<Reported> reportedSince(Instant since);

    /** A project some PR reported. */
    record Reported(String repo, int pr, ProjectRef project) {}
}
