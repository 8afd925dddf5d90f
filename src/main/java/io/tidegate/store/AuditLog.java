package io.tidegate.store;

import java.util.Optional;
import java.util.function.Consumer;

/**
 * The one way the audit is read, one implementation per store: oldest first for export, replay
 * and what-if ({@link #page}), newest first for the dashboard's audit trail ({@link #newest}),
 * one entry by its id ({@link #find}). The ids are the same everywhere (the dashboard prints the
 * {@code tidegate replay ID} line with them). Paging is by keyset (time, then id), so a cursor
 * stays valid while records are appended and a read of any length holds one page in memory.
 * Safe for concurrent use; each page is one short read, so a long export never holds the store
 * against the server's writers.
 */
public interface AuditLog {
    /** Largest page a caller may ask for. */
    int MAX_PAGE = 1000;

    /** The entry with this id; empty when there is none (or the id is not one of ours). */
    Optional<AuditEntry> find(String id);

    /**
     * Up to {@code limit} entries after the query's cursor. {@link IllegalArgumentException}
     * when the cursor is not one this store gave.
     */
    AuditPage page(AuditQuery query, int limit);

    /**
     * Up to {@code limit} entries before the query's cursor, newest first (time, then id): the
     * dashboard's audit trail. {@link IllegalArgumentException} when the cursor is not one this
     * store gave.
     */
    AuditPage newest(AuditQuery query, int limit);

    /** Every entry the query matches, page by page; returns how many. */
    default long forEach(AuditQuery query, Consumer<AuditEntry> each) {
        long n = 0;
        AuditQuery q = query;
        while (true) {
            AuditPage page = page(q, 500);
            for (AuditEntry e : page.entries()) {
                each.accept(e);
                n++;
            }
            if (page.nextCursor().isEmpty()) {
                return n;
            }
            q = q.after(page.nextCursor());
        }
    }
}
