package io.tidegate.review;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.tidegate.atlantis.GateAnswer;
import io.tidegate.decision.Assessment;
import io.tidegate.decision.Decision;
import io.tidegate.decision.ProjectRef;
import io.tidegate.decision.Reason;
import io.tidegate.store.HeldLock;

/**
 * The text Atlantis shows in the PR comment for a gate answer: one headline, one line per
 * reason with what unblocks it, and where the details are. Short on purpose: the sticky
 * Tidegate comment has the whole picture.
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
        Assessment a = d.assessment();
        List<String> lines = new ArrayList<>();
        lines.add(a.project().label() + ": " + a.command().word() + " "
                + (d.isAllowed() ? "allowed" : "denied") + " in "
                + a.environment().orElse("(no environment)"));
        if (d.isAllowed() && !a.approvals().approvers().isEmpty()) {
            lines.add("approved by " + String.join(", ", a.approvals().approvers()));
        }
        lockTaken.ifPresent(l -> lines.add("lock: " + l.environment() + " held by " + l.owner()
                + " until " + l.expiresAt() + " (released when Atlantis reports the result)"));
        for (Reason r : d.reasons()) {
            if (r.isBlocking()) {
                lines.add("- " + r.key() + ": " + r.message());
                r.remedy().ifPresent(x -> lines.add("  to unblock: " + x));
            }
        }
        // Notes (an override in use, a budget warning) never block: kept apart, so nobody
        // reads them as what stands in the way.
        List<Reason> notes = d.reasons().stream().filter(r -> !r.isBlocking()).toList();
        if (!notes.isEmpty()) {
            lines.add(NOTES);
            notes.forEach(r -> lines.add("- " + r.key() + ": " + r.message()));
        }
        lines.add("Details: " + detailsUrl);
        String text = String.join("\n", lines);
        return d.isAllowed() ? new GateAnswer.Allow(text) : new GateAnswer.Deny(text);
    }

    /** A deny Tidegate gives without deciding: the facts could not be gathered, for example. */
    static GateAnswer refused(ProjectRef project, String command, String code, String why,
            String remedy, String detailsUrl) {
        return new GateAnswer.Deny(project.label() + ": " + command + " denied\n- " + code + ": "
                + why + "\n  to unblock: " + remedy + "\nDetails: " + detailsUrl);
    }
}
