package io.tidegate.decision;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Everything the decision reads, gathered beforehand by the edges (GitHub, the store, Atlantis).
 * The engine does no I/O: if a fact is not here, it is unknown, and unknown denies.
 *
 * @param command     what is being run
 * @param project     the project the command targets
 * @param pullRequest the PR at its current head commit
 * @param actor       GitHub login of whoever runs the command
 * @param teams       team memberships ({@code org/slug}) per login, for the actor, the author
 *                    and every reviewer
 * @param reviews     every review of the PR, in submission order
 * @param reports     the PR's project reports (all projects, so limits can sum per environment)
 * @param overrides   window overrides recorded for this PR
 * @param locks       deployment locks currently held
 * @param replacedReports reports a later report of the same project and commit replaced,
 *                    oldest first: not the PR's cost any more, but the cost an approval given
 *                    before the replacement was given for (none when not kept)
 * @param headTree    the Git tree of the head commit (for {@code promotion.same: tree});
 *                    empty when not known
 * @param applies     successful applies Tidegate recorded that promotion may build on (the
 *                    edges pass those of the environments promotions name)
 * @param ownedFiles  the PR's changed files with their CODEOWNERS owners at the base branch;
 *                    empty when not read, and then {@code codeowners: true} denies
 * @param freezes     on-demand freezes recorded for any environment (in force or not: whether
 *                    one applies now is the engine's question, {@link Freeze#isActiveAt})
 */
public record Facts(
        Command command,
        ProjectRef project,
        PullRequest pullRequest,
        String actor,
        Map<String, Set<String>> teams,
        List<Review> reviews,
        List<ProjectReport> reports,
        List<Override> overrides,
        List<Lock> locks,
        List<ProjectReport> replacedReports,
        Optional<String> headTree,
        List<PriorApply> applies,
        Optional<List<OwnedFile>> ownedFiles,
        List<Freeze> freezes) {
    public Facts {
        Objects.requireNonNull(command, "command == null");
        Objects.requireNonNull(project, "project == null");
        Objects.requireNonNull(pullRequest, "pullRequest == null");
        Objects.requireNonNull(actor, "actor == null");
        teams = Map.copyOf(Objects.requireNonNull(teams, "teams == null"));
        reviews = List.copyOf(Objects.requireNonNull(reviews, "reviews == null"));
        reports = List.copyOf(Objects.requireNonNull(reports, "reports == null"));
        overrides = List.copyOf(Objects.requireNonNull(overrides, "overrides == null"));
        locks = List.copyOf(Objects.requireNonNull(locks, "locks == null"));
        replacedReports = List.copyOf(
                Objects.requireNonNull(replacedReports, "replacedReports == null"));
        Objects.requireNonNull(headTree, "headTree == null");
        applies = List.copyOf(Objects.requireNonNull(applies, "applies == null"));
        ownedFiles = Objects.requireNonNull(ownedFiles, "ownedFiles == null").map(List::copyOf);
        freezes = List.copyOf(Objects.requireNonNull(freezes, "freezes == null"));
    }

    /** Facts without promotion history, code owners or on-demand freezes (none gathered). */
    public Facts(Command command, ProjectRef project, PullRequest pullRequest, String actor,
            Map<String, Set<String>> teams, List<Review> reviews, List<ProjectReport> reports,
            List<Override> overrides, List<Lock> locks, List<ProjectReport> replacedReports) {
        this(command, project, pullRequest, actor, teams, reviews, reports, overrides, locks,
                replacedReports, Optional.empty(), List.of(), Optional.empty(), List.of());
    }

    /** Facts without replaced reports (none kept, or none there). */
    public Facts(Command command, ProjectRef project, PullRequest pullRequest, String actor,
            Map<String, Set<String>> teams, List<Review> reviews, List<ProjectReport> reports,
            List<Override> overrides, List<Lock> locks) {
        this(command, project, pullRequest, actor, teams, reviews, reports, overrides, locks,
                List.of());
    }

    /** The same facts for another command (to show what an apply would need after a plan). */
    public Facts withCommand(Command other) {
        return new Facts(other, project, pullRequest, actor, teams, reviews, reports, overrides,
                locks, replacedReports, headTree, applies, ownedFiles, freezes);
    }

    /** The same facts with what promotion reads: the head's tree and recorded applies. */
    public Facts withPromotionFacts(Optional<String> tree, List<PriorApply> priorApplies) {
        return new Facts(command, project, pullRequest, actor, teams, reviews, reports,
                overrides, locks, replacedReports, tree, priorApplies, ownedFiles, freezes);
    }

    /** The same facts with the changed files and their code owners. */
    public Facts withOwnedFiles(List<OwnedFile> files) {
        return new Facts(command, project, pullRequest, actor, teams, reviews, reports,
                overrides, locks, replacedReports, headTree, applies, Optional.of(files),
                freezes);
    }

    /** The same facts with the on-demand freezes recorded. */
    public Facts withFreezes(List<Freeze> recorded) {
        return new Facts(command, project, pullRequest, actor, teams, reviews, reports,
                overrides, locks, replacedReports, headTree, applies, ownedFiles, recorded);
    }

    /** The teams of one login; none when unknown. */
    public Set<String> teamsOf(String login) {
        return teams.getOrDefault(login, Set.of());
    }
}
