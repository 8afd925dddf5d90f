package io.tidegate.audit;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import io.tidegate.decision.Facts;
import io.tidegate.decision.LockRace;
import io.tidegate.decision.ReasonCode;

/**
 * A decision as read back from its audit row: the facts the engine read, the instant it
 * decided at, the policy file problem it was told of, a lock race the gate lost after it, and
 * what it answered. A gate refusal (the engine was never asked) has {@code refusal} set and
 * {@code facts} holding what Atlantis claimed.
 *
 * @param schemaVersion the facts schema the row was written in ({@link FactsJson})
 * @param policyProblem the policy file's problem at the time (every apply is then denied);
 *                      empty when the file was valid (or the row's schema did not record it)
 * @param reasons       the reasons with their messages; empty for schema 1 rows, which kept
 *                      only the codes (in the row itself)
 * @param refusal       the gate's code and why, for a refusal
 */
public record RecordedDecision(int schemaVersion, Facts facts, Instant now,
        Optional<String> policyProblem, Optional<LockRace> lockRace,
        Optional<List<RecordedReason>> reasons, Optional<Refusal> refusal) {
    public RecordedDecision {
        Objects.requireNonNull(facts, "facts == null");
        Objects.requireNonNull(now, "now == null");
        Objects.requireNonNull(policyProblem, "policyProblem == null");
        Objects.requireNonNull(lockRace, "lockRace == null");
        reasons = Objects.requireNonNull(reasons, "reasons == null").map(List::copyOf);
        Objects.requireNonNull(refusal, "refusal == null");
    }

    /** One reason as recorded: code, message and the remedy (empty when none). */
    public record RecordedReason(String code, String message, Optional<String> remedy) {
        public RecordedReason {
            Objects.requireNonNull(code, "code == null");
            Objects.requireNonNull(message, "message == null");
            Objects.requireNonNull(remedy, "remedy == null");
        }
    }

    /**
     * A deny the gate gave before the engine ({@link io.tidegate.decision.GateRefusal}): its
     * code and why.
     */
    public record Refusal(ReasonCode code, String why) {
        public Refusal {
            Objects.requireNonNull(code, "code == null");
            Objects.requireNonNull(why, "why == null");
        }
    }
}
