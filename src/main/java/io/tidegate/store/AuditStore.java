package io.tidegate.store;

import java.util.List;

/** Append-only decision records: nothing here updates or deletes one. Newest first. */
public interface AuditStore {
    void append(AuditRecord record);

    List<AuditRecord> forRepository(String repo, int limit);

    List<AuditRecord> forPullRequest(String repo, int pr, int limit);
}
