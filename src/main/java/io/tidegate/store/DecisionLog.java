package io.tidegate.store;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Reading the decision audit with filters and stable ids, for the dashboard's audit trail. The
 * id is the store's own ({@code seq} in SQLite, {@code repo|sk} in DynamoDB): stable for the
 * record's life, opaque to callers. Safe for concurrent use.
 */
public interface DecisionLog {
    /** Newest first (time, then id). A malformed cursor is {@link IllegalArgumentException}. */
    Page search(DecisionSearch query);

    /** An audit record with the id the store keeps it under. */
    record Entry(String id, AuditRecord record) {
        public Entry {
            Objects.requireNonNull(id, "id == null");
            Objects.requireNonNull(record, "record == null");
        }
    }

    /** A page of entries and the cursor of the next one, empty on the last page. */
    record Page(List<Entry> items, Optional<String> nextCursor) {
        public Page {
            items = List.copyOf(Objects.requireNonNull(items, "items == null"));
            Objects.requireNonNull(nextCursor, "nextCursor == null");
        }
    }
}
