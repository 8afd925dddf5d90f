package io.tidegate.decision;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * "Approvals on the head commit", in one place, following GitHub's review model: reviews are
 * read in submission order, each reviewer's latest deciding review ({@code APPROVED} or
 * {@code CHANGES_REQUESTED}) is their state, {@code DISMISSED} withdraws it and
 * {@code COMMENTED}/{@code PENDING} change nothing; an approval is on a commit when GitHub's
 * {@code commit_id} names it ("" never does). {@link ReviewTally} counts these for an
 * environment's rule; the apply messages ask who had approved the applied commit.
 */
public final class HeadCommitApprovals {
    private HeadCommitApprovals() {}

    /**
     * Logins whose latest deciding review approves {@code commit}, in review order: who had
     * approved it when these reviews were read.
     */
    public static List<String> approvers(List<Review> reviews, String commit) {
        return latestDeciding(reviews).values().stream()
                .filter(r -> r.state() == Review.State.APPROVED && isOn(r, commit))
                .map(Review::user).toList();
    }

    /** Rule: a review counts for the commit GitHub says it was given on, and no other. */
    static boolean isOn(Review r, String commit) {
        return !r.commitSha().isEmpty() && r.commitSha().equals(commit);
    }

    /** Each reviewer's latest deciding review (APPROVED or CHANGES_REQUESTED), or none. */
    static Map<String, Review> latestDeciding(List<Review> reviews) {
        Map<String, Review> latest = new LinkedHashMap<>();
        for (Review r : reviews) {
            String who = r.user().toLowerCase(Locale.ROOT);
            switch (r.state()) {
                case APPROVED:
                case CHANGES_REQUESTED:
                    latest.remove(who);
                    latest.put(who, r);
                    break;
                case DISMISSED:
                    latest.remove(who);
                    break;
                default:
                    break;
            }
        }
        return latest;
    }
}
