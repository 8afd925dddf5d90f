package io.tidegate.review;

import java.util.Locale;

/**
 * Why a pull request is reviewed again, for {@code tidegate_reviews_total{trigger}} and for
 * where its facts come from. Events of the PR itself (webhooks, its plan report, its apply
 * result) and Atlantis comments read GitHub; the others change nothing GitHub knows, so they
 * decide again from the facts the last review read (see {@link PullRequestReview}).
 */
public enum ReviewTrigger {
    /** A webhook, plan report or apply result of the PR itself. */
    EVENT,
    /** A scheduled edge: a window, freeze, override or lock TTL changed the verdict's moment. */
    TIME,
    /** Another PR released the lock of an environment this PR waits for. */
    LOCK,
    /** Another PR's deployment changed the budget of an environment this PR applies to. */
    BUDGET,
    /** The policy file changed: every open PR's verdict and edge is decided again. */
    POLICY,
    /** An on-demand freeze of an environment this PR applies to started or ended. */
    FREEZE,
    /** An {@code atlantis plan} or {@code atlantis apply} comment on the PR. */
    COMMAND,
    /** Another PR's apply took the lock of an environment this PR has a project in. */
    LOCKED;

    /** The metric tag and JSON value: {@code time}, {@code lock}... */
    public String tag() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether nothing GitHub knows can have changed, so the stored facts are current. */
    public boolean usesStoredFacts() {
        return this == TIME || this == LOCK || this == BUDGET || this == POLICY
                || this == FREEZE || this == LOCKED;
    }

    /** The trigger a tag names; {@link #EVENT} for anything else (events queued before). */
    static ReviewTrigger ofTag(String tag) {
        for (ReviewTrigger t : values()) {
            if (t.tag().equals(tag)) {
                return t;
            }
        }
        return EVENT;
    }
}
