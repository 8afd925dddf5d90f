package io.tidegate.store;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One decision as recorded, in plain values so the store does not depend on the engine's types.
 *
 * @param decision    {@code allow} or {@code deny}
 * @param reasonCodes the engine's reason codes, in its order
 * @param policyHash  hash of the policy file the decision used
 * @param factsJson   the facts the decision read, as JSON
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
        if (!decision.equals("allow") && !decision.equals("deny")) {
            throw new IllegalArgumentException("decision must be allow or deny, got '"
                    + decision + "'");
        }
    }
}
