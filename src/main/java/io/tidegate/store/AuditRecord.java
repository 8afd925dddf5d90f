package io.tidegate.store;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One audit record, in plain values so the store does not depend on the engine's types. Most
 * are decisions ({@code command} {@code plan} or {@code apply}); the others are the events that
 * change what later decisions see, in the same append-only stream: {@code override},
 * {@code lock-release}, {@code policy-reload}, {@code freeze} and {@code unfreeze} (see
 * {@link #kind()}). The layout of {@code factsJson} per kind is documented in
 * {@code io.tidegate.audit.FactsJson}.
 *
 * @param decision    {@code allow} or {@code deny} for a decision; an event says {@code none}
 *                    (an override says {@code allow}: it lets an apply past a window)
 * @param reasonCodes the engine's reason codes, in its order; for an event, its outcome words
 * @param policyHash  {@code sha256:<hex>} of the policy version in force
 *                    ({@link PolicyVersionStore} keeps its text)
 * @param factsJson   the facts the decision read, as JSON; an event's details
 */
public record AuditRecord(
        Instant time,
        String repo,
        int pr,
        String headSha,
        String project,
        String environment,
        String command,
        String actor,
        String decision,
        List<String> reasonCodes,
        String policyHash,
        String factsJson) {
    public AuditRecord {
        Objects.requireNonNull(time, "time == null");
        Objects.requireNonNull(repo, "repo == null");
        Objects.requireNonNull(headSha, "headSha == null");
        Objects.requireNonNull(project, "project == null");
        Objects.requireNonNull(environment, "environment == null");
        Objects.requireNonNull(command, "command == null");
        Objects.requireNonNull(actor, "actor == null");
        Objects.requireNonNull(decision, "decision == null");
        reasonCodes = List.copyOf(Objects.requireNonNull(reasonCodes, "reasonCodes == null"));
        Objects.requireNonNull(policyHash, "policyHash == null");
        Objects.requireNonNull(factsJson, "factsJson == null");
        boolean verdict = decision.equals("allow") || decision.equals("deny");
        if (!verdict && !(decision.equals("none") && !isDecisionCommand(command))) {
            throw new IllegalArgumentException("decision must be allow or deny"
                    + (isDecisionCommand(command) ? "" : " or none") + ", got '" + decision
                    + "'");
        }
    }

    /** The {@code repo} of an event of no repository (a policy reload, a freeze). */
    public static final String NO_REPOSITORY = "*";

    /** What an event record says in {@code decision}. */
    public static final String NO_DECISION = "none";

    /** {@code decision} for a plan or apply, else the event's name ({@code override}, ...). */
    public String kind() {
        return isDecisionCommand(command) ? "decision" : command;
    }

    /** Whether this record is a plan or apply decision (not an event). */
    public boolean isDecision() {
        return isDecisionCommand(command);
    }

    private static boolean isDecisionCommand(String command) {
        return command.equals("plan") || command.equals("apply");
    }
}
