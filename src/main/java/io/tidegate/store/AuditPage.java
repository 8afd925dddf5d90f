package io.tidegate.store;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A page of audit entries in the order read ({@link AuditLog#page} oldest first,
 * {@link AuditLog#newest} newest first) and the cursor after its last one (none at the end).
 */
public record AuditPage(List<AuditEntry> entries, Optional<String> nextCursor) {
    public AuditPage {
        entries = List.copyOf(Objects.requireNonNull(entries, "entries == null"));
        Objects.requireNonNull(nextCursor, "nextCursor == null");
    }
}
