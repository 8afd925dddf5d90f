package io.tidegate.atlantis;

import java.util.Objects;

import io.tidegate.decision.ProjectRef;

/**
 * The environment of an Atlantis workflow {@code run} step, as {@code tidegate-hook} sends it
 * (see {@code atlantis/README.md}, "Wire contract"): which repository, PR, commit and project
 * the step runs for and who asked.
 *
 * @param baseRepo    {@code BASE_REPO_OWNER}/{@code BASE_REPO_NAME}: where the PR merges to
 * @param headRepo    {@code HEAD_REPO_OWNER}/{@code HEAD_REPO_NAME}: differs for forks; empty
 *                    strings when not sent
 * @param pull        {@code PULL_NUM}, {@code PULL_AUTHOR}, {@code PULL_URL},
 *                    {@code HEAD_BRANCH_NAME}, {@code BASE_BRANCH_NAME}, {@code HEAD_COMMIT}
 * @param project     {@code PROJECT_NAME} (empty for unnamed projects), {@code REPO_REL_DIR},
 *                    {@code WORKSPACE}
 * @param dir         {@code DIR}: the absolute path on the Atlantis host, for messages only
 * @param userName    {@code USER_NAME}: the commenter; the Atlantis bot during autoplan; empty
 *                    for API-triggered runs
 * @param commentArgs {@code COMMENT_ARGS}: extra arguments after {@code --}, comma-separated
 */
public record RunContext(
        Repository baseRepo,
        Repository headRepo,
        PullInfo pull,
        ProjectRef project,
        String dir,
        String userName,
        String commentArgs) {
    public RunContext {
        Objects.requireNonNull(baseRepo, "baseRepo == null");
        Objects.requireNonNull(headRepo, "headRepo == null");
        Objects.requireNonNull(pull, "pull == null");
        Objects.requireNonNull(project, "project == null");
        Objects.requireNonNull(dir, "dir == null");
        Objects.requireNonNull(userName, "userName == null");
        Objects.requireNonNull(commentArgs, "commentArgs == null");
    }
}
