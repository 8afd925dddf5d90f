package io.tidegate.audit;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

import io.tidegate.store.AuditEntry;

/**
 * What deciding a recorded decision again gave: {@code SAME} (verdict, reason codes and, when
 * recorded, messages and remedies equal), {@code DIFFERENT} (each difference a line) or
 * {@code NOT_REPLAYABLE} ({@code note} says exactly why: the missing field, the policy version
 * not kept). A gate refusal is {@code SAME}: the gate refused before the engine, so no policy
 * or engine change alters it ({@code note} says so).
 */
public record ReplayResult(AuditEntry entry, Status status, Optional<Outcome> recorded,
        Optional<Outcome> replayed, List<String> differences, Optional<String> note) {
    public ReplayResult {
        Objects.requireNonNull(entry, "entry == null");
        Objects.requireNonNull(status, "status == null");
        Objects.requireNonNull(recorded, "recorded == null");
        Objects.requireNonNull(replayed, "replayed == null");
        differences = List.copyOf(Objects.requireNonNull(differences, "differences == null"));
        Objects.requireNonNull(note, "note == null");
    }

    /** How a replay ended. */
    public enum Status {
        SAME, DIFFERENT, NOT_REPLAYABLE;

        public String word() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }
    }

    static ReplayResult notReplayable(AuditEntry entry, String why) {
        return new ReplayResult(entry, Status.NOT_REPLAYABLE, Optional.empty(), Optional.empty(),
                List.of(), Optional.of(why));
    }
}
