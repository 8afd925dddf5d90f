package io.tidegate.review;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The last review of an open pull request as the dashboard's "what waits" shows it, kept in the
 * store's review board as JSON (this record, by Jackson). Absent values are empty strings and
 * empty lists, so the stored JSON has no nulls.
 *
 * @param url          the PR on GitHub
 * @param reviewedAt   when this review ran
 * @param environments per environment of the PR's projects, in policy order
 */
public record WaitingPullRequest(String repo, int number, String title, String author,
        String url, String headSha, Instant reviewedAt, List<EnvironmentWait> environments) {
    public WaitingPullRequest {
        Objects.requireNonNull(repo, "repo == null");
        Objects.requireNonNull(title, "title == null");
        Objects.requireNonNull(author, "author == null");
        Objects.requireNonNull(url, "url == null");
        Objects.requireNonNull(headSha, "headSha == null");
        Objects.requireNonNull(reviewedAt, "reviewedAt == null");
        environments = List.copyOf(Objects.requireNonNull(environments, "environments == null"));
    }

    /**
     * One environment's verdict and what would change it.
     *
     * @param verdict    {@code READY}, {@code WAITING} or {@code BLOCKED}
     *                   ({@link EnvironmentReview.Verdict})
     * @param since      since when it has had this verdict on this head commit
     * @param missing    the blocking reasons, each once
     * @param unblockers the roles that can clear a reason, with their members when known
     * @param override   the active window override, if any (zero or one)
     * @param lockHolder the PR holding the environment's lock, or ""
     */
    public record EnvironmentWait(String environment, String verdict, Instant since,
            int approvalsCounted, int approvalsNeeded, List<String> approvers,
            List<Missing> missing, List<Unblocker> unblockers, List<OverrideNote> override,
            String lockHolder) {
        public EnvironmentWait {
            Objects.requireNonNull(environment, "environment == null");
            Objects.requireNonNull(verdict, "verdict == null");
            Objects.requireNonNull(since, "since == null");
            approvers = List.copyOf(Objects.requireNonNull(approvers, "approvers == null"));
            missing = List.copyOf(Objects.requireNonNull(missing, "missing == null"));
            unblockers = List.copyOf(Objects.requireNonNull(unblockers, "unblockers == null"));
            override = List.copyOf(Objects.requireNonNull(override, "override == null"));
            Objects.requireNonNull(lockHolder, "lockHolder == null");
        }

        /** Whether {@code login} is a known member of a role that can unblock it. */
        public boolean waitsFor(String login) {
            return unblockers.stream().flatMap(u -> u.members().stream())
                    .anyMatch(m -> m.equalsIgnoreCase(login));
        }
    }

    /** A blocking reason: its code, the sentence, and the remedy ("" when none). */
    public record Missing(String code, String message, String remedy) {
        public Missing {
            Objects.requireNonNull(code, "code == null");
            Objects.requireNonNull(message, "message == null");
            Objects.requireNonNull(remedy, "remedy == null");
        }
    }

    /** A role that can clear a reason, and the logins known to hold it. */
    public record Unblocker(String role, String why, List<String> members) {
        public Unblocker {
            Objects.requireNonNull(role, "role == null");
            Objects.requireNonNull(why, "why == null");
            members = List.copyOf(Objects.requireNonNull(members, "members == null"));
        }
    }

    /** An active emergency override: who gave it, why, until when. */
    public record OverrideNote(String user, String reason, Instant until) {
        public OverrideNote {
            Objects.requireNonNull(user, "user == null");
            Objects.requireNonNull(reason, "reason == null");
            Objects.requireNonNull(until, "until == null");
        }
    }
}
