package io.tidegate.store;

import java.util.Objects;

/**
 * An audit record as stored, with the id the store gave it: opaque, stable, unique within the
 * store ({@code 42} in SQLite, the time-ordered sort key in DynamoDB). {@code tidegate replay ID}
 * takes it.
 */
public record AuditEntry(String id, AuditRecord record) {
    public AuditEntry {
        Objects.requireNonNull(id, "id == null");
        Objects.requireNonNull(record, "record == null");
    }
}
