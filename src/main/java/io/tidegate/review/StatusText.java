package io.tidegate.review;

import java.util.List;
import java.util.Optional;

import io.tidegate.decision.Reason;
import io.tidegate.github.CommitStatus;
import io.tidegate.text.Untrusted;

/**
 * The {@code tidegate/<environment>} commit status of an environment review: {@code success}
 * when an apply would be allowed now, {@code pending} while only people or time are missing
 * (approvals, labels, checklist, sections, window, lock, draft), {@code failure} for a hard limit
 * (cost, resources, branch, unknown figures, apply disabled). The description says why in one
 * line. Pure.
 */
public final class StatusText {
    private StatusText() {}

    public static CommitStatus of(EnvironmentReview e, Optional<String> targetUrl) {
        CommitStatus.State state = switch (e.verdict()) {
            case READY -> CommitStatus.State.SUCCESS;
            case WAITING -> CommitStatus.State.PENDING;
            case BLOCKED -> CommitStatus.State.FAILURE;
        };
        return CommitStatus.of(e.name(), state, description(e), targetUrl);
    }

    static String description(EnvironmentReview e) {
        List<Reason> blocking = e.blocking();
        if (blocking.isEmpty()) {
            return e.assessment().override().isPresent() ? "ready to apply (window lifted by an"
                    + " override)" : "ready to apply";
        }
        if (blocking.size() == 1) {
            // a reason may quote PR text: one printable line (GitHub shows it as plain text)
            return Untrusted.plain(blocking.get(0).message(), 1000);
        }
        return blocking.size() + " things block the apply: " + String.join(", ",
                blocking.stream().map(Reason::key).distinct().toList());
    }

    /** Before Atlantis has planned the head commit. */
    public static CommitStatus waitingForPlan(String environment, String shortSha,
            Optional<String> targetUrl) {
        return CommitStatus.of(environment, CommitStatus.State.PENDING,
                "waiting for the Atlantis plan of " + shortSha, targetUrl);
    }

    /** An environment the PR's base branch leads to, but none of whose projects it changes. */
    public static CommitStatus untouched(String environment, Optional<String> targetUrl) {
        return CommitStatus.of(environment, CommitStatus.State.SUCCESS,
                "no project of " + environment + " changes in this pull request", targetUrl);
    }

    /** GitHub or the store did not answer: never success. */
    public static CommitStatus factsUnavailable(String environment, Optional<String> targetUrl) {
        return CommitStatus.of(environment, CommitStatus.State.ERROR,
                "Tidegate could not gather the facts (GitHub or its store did not answer); "
                        + "retrying", targetUrl);
    }
}
