package io.tidegate.decision;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

class HeadCommitApprovalsTest {
    private static Review review(String user, Review.State state, String commit) {
        return new Review(user, state, commit);
    }

    @Test
    void approversAreThoseWhoseLatestDecidingReviewApprovesTheCommit() {
        List<Review> reviews = List.of(review("kim", Review.State.APPROVED, "head"),
                review("lee", Review.State.APPROVED, "old"),
                review("park", Review.State.APPROVED, "head"),
                review("park", Review.State.CHANGES_REQUESTED, "head"));

        assertThat(HeadCommitApprovals.approvers(reviews, "head")).containsExactly("kim");
    }

    @Test
    void aCommentAfterAnApprovalKeepsTheApproval() {
        List<Review> reviews = List.of(review("kim", Review.State.APPROVED, "head"),
                review("kim", Review.State.COMMENTED, "head"));

        assertThat(HeadCommitApprovals.approvers(reviews, "head")).containsExactly("kim");
    }

    @Test
    void aDismissalWithdrawsTheApproval() {
        List<Review> reviews = List.of(review("kim", Review.State.APPROVED, "head"),
                review("kim", Review.State.DISMISSED, "head"));

        assertThat(HeadCommitApprovals.approvers(reviews, "head")).isEmpty();
    }

    @Test
    void aReviewWithoutACommitIsOnNoCommit() {
        assertThat(HeadCommitApprovals.approvers(
                List.of(review("kim", Review.State.APPROVED, "")), "")).isEmpty();
    }
}
