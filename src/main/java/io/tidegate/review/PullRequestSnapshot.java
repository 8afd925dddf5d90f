package io.tidegate.review;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import io.tidegate.decision.Command;
import io.tidegate.decision.Facts;
import io.tidegate.decision.Freeze;
import io.tidegate.decision.Lock;
import io.tidegate.decision.OwnedFile;
import io.tidegate.decision.Override;
import io.tidegate.decision.PriorApply;
import io.tidegate.decision.ProjectRef;
import io.tidegate.decision.ProjectReport;
import io.tidegate.decision.PullRequest;
import io.tidegate.decision.Review;

/**
 * Everything known about one pull request at one moment, gathered once from GitHub and the store,
 * from which the facts of any command on any of its projects follow without more I/O. The gate
 * takes one per call; a PR re-evaluation takes one and decides every project from it.
 *
 * @param reports the Atlantis reports for the current head commit only (older ones never count),
 *                the latest per project
 * @param teams   memberships of the author, every reviewer and the extra logins asked for
 * @param replacedReports reports of the head commit a re-plan replaced, oldest first: what an
 *                approval given before the re-plan was given for
 * @param freezes the on-demand freezes in force, every environment
 * @param headTree the head commit's Git tree, when read (only when some environment's promotion
 *                compares trees)
 * @param applies successful applies Tidegate recorded for this repository, for promotion
 * @param ownedFiles the changed files and their CODEOWNERS owners at the base commit, when read
 *                (only when some environment says {@code codeowners: true})
 */
public record PullRequestSnapshot(
        PullRequest pullRequest,
        List<Review> reviews,
        Map<String, Set<String>> teams,
        List<ProjectReport> reports,
        List<Override> overrides,
        List<Lock> locks,
        List<ProjectReport> replacedReports,
        List<Freeze> freezes,
        Optional<String> headTree,
        List<PriorApply> applies,
        Optional<List<OwnedFile>> ownedFiles) {
    public PullRequestSnapshot {
        Objects.requireNonNull(pullRequest, "pullRequest == null");
        reviews = List.copyOf(Objects.requireNonNull(reviews, "reviews == null"));
        teams = Map.copyOf(Objects.requireNonNull(teams, "teams == null"));
        reports = List.copyOf(Objects.requireNonNull(reports, "reports == null"));
        overrides = List.copyOf(Objects.requireNonNull(overrides, "overrides == null"));
        locks = List.copyOf(Objects.requireNonNull(locks, "locks == null"));
        replacedReports = List.copyOf(
                Objects.requireNonNull(replacedReports, "replacedReports == null"));
        freezes = List.copyOf(Objects.requireNonNull(freezes, "freezes == null"));
        Objects.requireNonNull(headTree, "headTree == null");
        applies = List.copyOf(Objects.requireNonNull(applies, "applies == null"));
        ownedFiles = Objects.requireNonNull(ownedFiles, "ownedFiles == null").map(List::copyOf);
    }

    /** A snapshot without freezes, promotion facts or code owners. */
    public PullRequestSnapshot(PullRequest pullRequest, List<Review> reviews,
            Map<String, Set<String>> teams, List<ProjectReport> reports,
            List<Override> overrides, List<Lock> locks, List<ProjectReport> replacedReports) {
        this(pullRequest, reviews, teams, reports, overrides, locks, replacedReports, List.of(),
                Optional.empty(), List.of(), Optional.empty());
    }

    /** A snapshot without replaced reports. */
    public PullRequestSnapshot(PullRequest pullRequest, List<Review> reviews,
            Map<String, Set<String>> teams, List<ProjectReport> reports,
            List<Override> overrides, List<Lock> locks) {
        this(pullRequest, reviews, teams, reports, overrides, locks, List.of());
    }

    /** The facts of {@code actor} running {@code command} on {@code project} of this PR. */
    public Facts factsFor(Command command, ProjectRef project, String actor) {
        Facts facts = new Facts(command, project, pullRequest, actor, teams, reviews, reports,
                overrides, locks, replacedReports).withPromotionFacts(headTree, applies)
                .withFreezes(freezes);
        return ownedFiles.map(facts::withOwnedFiles).orElse(facts);
    }

    /** The projects Atlantis reported for the head commit, in report order. */
    public List<ProjectRef> projects() {
        return reports.stream().map(ProjectReport::project).distinct().toList();
    }
}
