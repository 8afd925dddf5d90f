package io.tidegate.review;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.tidegate.atlantis.GateAnswer;
import io.tidegate.decision.Assessment;
import io.tidegate.decision.Command;
import io.tidegate.decision.Decision;
import io.tidegate.decision.Reason;
import io.tidegate.decision.ReasonCode;
import io.tidegate.store.HeldLock;
import io.tidegate.text.Untrusted;

/**
 * The text Atlantis shows in the PR comment for a gate answer: one headline, one line per
 * reason with what unblocks it, and where the details are. Short on purpose: the sticky
 * Tidegate comment has the whole picture. Names and reasons pass {@link Untrusted#plain}:
 * Atlantis shows this inside a code fence of its PR comment, which a line break could close.
 *
 * <pre>
 * prod-environment: apply denied in production
 * - approvals-missing: production needs 2 approvals from devops-lead or cto; 1 counted (lead1)
 *   to unblock: needs 1 more approval from devops-lead or cto
 * Notes (they do not block):
 * - budget-warning: the new monthly total $1,830.00 of production is above 75% of its budget
 * Details: https://github.com/acme/infra/pull/42
 * </pre>
 */
final class GateText {
    static final String NOTES = "Notes (they do not block):";

    private GateText() {}

    static GateAnswer answer(Decision d, Optional<HeldLock> lockTaken, String detailsUrl) {
        return answer(d, lockTaken, detailsUrl, d.assessment().command().word(), "");
    }

    /**
     * The answer for an Atlantis {@code stage} ({@code import} is judged as an apply but named
     * as itself) run by {@code user} ({@code USER_NAME}).
     */
    static GateAnswer answer(Decision d, Optional<HeldLock> lockTaken, String detailsUrl,
            String stage, String user) {
        Assessment a = d.assessment();
        List<String> lines = new ArrayList<>();
        lines.add(plain(a.project().label()) + ": " + plain(stage) + " "
                + (d.isAllowed() ? "allowed" : "denied") + " in "
                + plain(a.environment().orElse("(no environment)")));
        if (d.isAllowed() && !a.approvals().approvers().isEmpty()) {
            lines.add("approved by " + plain(String.join(", ", a.approvals().approvers())));
        }
        lockTaken.ifPresent(l -> lines.add("lock: " + plain(l.environment()) + " held by " + plain(l.owner())
                + " until " + l.expiresAt() + " (released when Atlantis reports the result)"));
        for (Reason r : d.reasons()) {
            if (r.isBlocking()) {
                lines.add("- " + r.key() + ": " + plain(r.message()));
                r.remedy().ifPresent(x -> lines.add("  to unblock: " + plain(x)));
            }
        }
        // Notes (an override in use, a budget warning) never block: kept apart, so nobody
        // reads them as what stands in the way.
        List<Reason> notes = d.reasons().stream().filter(r -> !r.isBlocking()).toList();
        if (!notes.isEmpty()) {
            lines.add(NOTES);
            notes.forEach(r -> lines.add("- " + r.key() + ": " + plain(r.message())));
        }
        if (!d.isAllowed() && a.command() == Command.PLAN && !user.isBlank()
                && d.codes().contains(ReasonCode.ACTOR_NOT_ALLOWED.key())) {
            lines.add(planTrigger(plain(user),
                    plain(a.environment().orElse("this environment"))));
        }
        lines.add("Details: " + detailsUrl);
        String text = String.join("\n", lines);
        return d.isAllowed() ? new GateAnswer.Allow(text) : new GateAnswer.Deny(text);
    }

    /**
     * Who a refused plan was judged as. Atlantis runs an autoplan as whoever sent the
     * {@code pull_request} event (event_parser.go, {@code ParseGithubPullEvent}, v0.47): the
     * reader of a refused autoplan must learn that the push, not the PR, was refused.
     */
    static String planTrigger(String user, String environment) {
        return "note: this plan was run for " + user + " (Atlantis's USER_NAME: who commented, or"
                + " for an autoplan who opened, pushed to or updated the pull request, bots"
                + " included); someone allowed to plan in " + environment + " can comment"
                + " atlantis plan to plan this commit";
    }

    /**
     * A deny Tidegate gives without asking the engine ({@link io.tidegate.decision.GateRefusal}):
     * the facts could not be gathered, for example. Its one reason and remedy.
     */
    static GateAnswer refused(Decision refusal, String stage, String detailsUrl) {
        Reason r = refusal.reasons().get(0);
        return new GateAnswer.Deny(plain(refusal.assessment().project().label()) + ": " + stage
                + " denied\n- " + r.key() + ": " + plain(r.message()) + "\n  to unblock: "
                + plain(r.remedy().orElse("")) + "\nDetails: " + detailsUrl);
    }

    /** Reasons quote names and lists, so they get more room than one name. */
    private static String plain(String text) {
        return Untrusted.plain(text, 1000);
    }
}
