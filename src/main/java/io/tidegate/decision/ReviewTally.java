package io.tidegate.decision;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.tidegate.policy.Environment;
import io.tidegate.policy.PolicySet;

/**
 * Counts a PR's reviews for one environment's approval rule, following GitHub's own model:
 * <ul>
 *   <li>reviews are read in submission order and only each reviewer's latest state counts;
 *       {@code COMMENTED} and {@code PENDING} change nothing;</li>
 *   <li>{@code DISMISSED} withdraws that reviewer's approval (or change request);</li>
 *   <li>with {@code dismiss_stale} an approval counts only if given on the head commit, like
 *       GitHub's "Dismiss stale pull request approvals when new commits are pushed"
 *       ({@link HeadCommitApprovals}, which also picks each reviewer's latest review);</li>
 *   <li>the PR author's approval never counts; a person counts once whatever their roles;</li>
 *   <li>with {@code from} given, only approvals from those roles count;</li>
 *   <li>a change request stays outstanding, even on an older commit, until that reviewer
 *       approves or it is dismissed (GitHub keeps it blocking too);</li>
 *   <li>an approval counts only for the cost it was given for: once the environment's monthly
 *       increase is greater than when it was submitted, it no longer counts
 *       ({@link GivenCost}).</li>
 * </ul>
 */
final class ReviewTally {
    private ReviewTally() {}

    /**
     * @param approvers          logins whose approval counts, in review order
     * @param ignored            "login (why)" for approvals that do not count
     * @param changesRequestedBy approvers whose latest review requests changes
     */
    record Tally(List<String> approvers, List<String> ignored, List<String> changesRequestedBy) {}

    static Tally count(PolicySet policy, Environment.Approvals rule, Facts facts,
            GivenCost givenCost) {
        Map<String, Review> latest = HeadCommitApprovals.latestDeciding(facts.reviews());
        List<String> approvers = new ArrayList<>();
        List<String> ignored = new ArrayList<>();
        List<String> changes = new ArrayList<>();
        String author = facts.pullRequest().author();
        for (Review r : latest.values()) {
            boolean approverRole = rule.from().isEmpty()
                    || policy.hasAnyRole(rule.from(), r.user(),
                            Logins.teamsOf(facts, r.user()));
            if (r.state() == Review.State.CHANGES_REQUESTED) {
                if (approverRole) {
                    changes.add(r.user());
                }
                continue;
            }
            // Only APPROVED remains here: latestDeciding keeps nothing else.
            if (r.user().equalsIgnoreCase(author)) {
                ignored.add(r.user() + " (the PR author)");
            } else if (rule.dismissStale()
                    && !HeadCommitApprovals.isOn(r, facts.pullRequest().headSha())) {
                ignored.add(r.user() + " (on an older commit)");
            } else if (!approverRole) {
                ignored.add(r.user() + " (not " + Text.or(rule.from()) + ")");
            } else {
                givenCost.riseSince(r.submittedAt()).ifPresentOrElse(
                        rise -> ignored.add(r.user() + " (" + rise.describe("approved") + ")"),
                        () -> approvers.add(r.user()));
            }
        }
        return new Tally(approvers, ignored, changes);
    }

    /** Whether some counted approver holds one of the roles. */
    static boolean includesRole(PolicySet policy, Tally tally, Set<String> roles, Facts facts) {
        return tally.approvers().stream()
                .anyMatch(a -> policy.hasAnyRole(roles, a, Logins.teamsOf(facts, a)));
    }
}
