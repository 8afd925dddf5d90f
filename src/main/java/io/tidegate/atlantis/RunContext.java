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
 * @param userName    {@code USER_NAME}: the commenter; during autoplan the login that sent the
 *                    {@code pull_request} event (never Atlantis's own); empty for runs started
 *                    through Atlantis's API
 * @param commentArgs {@code COMMENT_ARGS} as Atlantis sets it: the extra arguments after
 *                    {@code --}, each character preceded by a backslash, joined by commas
 *                    ({@code escapeArgs}, server/events/project_command_context_builder.go,
 *                    Atlantis v0.47); read them with {@link #extraArgs()}
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

    /**
     * Whether the run is for a pull request's commit, as every run a user started is; a run
     * started through Atlantis's API for a branch is not ({@link PullInfo}).
     */
    public boolean hasPullRequestCommit() {
        return pull.isPullRequest() && AtlantisJsonFields.SHA.matcher(pull.headCommit()).matches();
    }

    /**
     * The extra arguments, unescaped: {@code \-\t\a\r\g\e\t\=\a,\-\n\o} is
     * {@code [-target=a, -no]}. Atlantis escapes only the first byte of each non-ASCII
     * character (as a Latin-1 character), so such text stays mangled: show it as such, never
     * as what the user typed.
     */
    public java.util.List<String> extraArgs() {
        java.util.List<String> args = new java.util.ArrayList<>();
        if (commentArgs.isEmpty()) {
            return args;
        }
        StringBuilder arg = new StringBuilder();
        for (int i = 0; i < commentArgs.length(); i++) {
            char c = commentArgs.charAt(i);
            if (c == '\\' && i + 1 < commentArgs.length()) {
                arg.append(commentArgs.charAt(++i));
            } else if (c == ',') {
                args.add(arg.toString());
                arg.setLength(0);
            } else {
                arg.append(c);
            }
        }
        args.add(arg.toString());
        return args;
    }
}
