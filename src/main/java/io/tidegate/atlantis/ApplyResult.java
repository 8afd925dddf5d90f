package io.tidegate.atlantis;

import java.util.Objects;

import io.tidegate.decision.ProjectRef;

/**
 * What Atlantis's {@code http} webhook (event {@code apply}) reports after an apply: Go's
 * {@code webhooks.ApplyResult} with the fields Tidegate uses. {@code Success} is also false
 * when a gate step denied the apply, so a false result alone proves no failed deployment; and
 * since Atlantis v0.46 it is false for an apply whose steps all ran when the PR's head or base
 * branch moved meanwhile ({@code ValidateCommandStartHead} after {@code runSteps} in
 * {@code doApply}, server/events/project_command_runner.go, v0.47.0-7-g078d0a820).
 *
 * <p>{@code Repo.CloneURL} (and {@code Pull.BaseRepo.CloneURL}) can carry Atlantis's VCS token:
 * they are never read, so no record, message or log line can contain them.
 *
 * @param repo     {@code Repo.Owner}/{@code Repo.Name} (checked against {@code Repo.FullName})
 * @param pull     {@code Pull.Num}, {@code Author}, {@code URL}, {@code HeadBranch},
 *                 {@code BaseBranch}, {@code HeadCommit}
 * @param project  {@code ProjectName}, {@code Directory}, {@code Workspace}
 * @param username {@code User.Username}: who commented {@code atlantis apply}
 * @param success  {@code Success}
 */
public record ApplyResult(
        Repository repo, PullInfo pull, ProjectRef project, String username, boolean success) {
    public ApplyResult {
        Objects.requireNonNull(repo, "repo == null");
        Objects.requireNonNull(pull, "pull == null");
        Objects.requireNonNull(project, "project == null");
        Objects.requireNonNull(username, "username == null");
    }
}
