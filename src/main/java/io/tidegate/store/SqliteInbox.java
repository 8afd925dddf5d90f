package io.tidegate.store;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The inbox in SQLite. {@code seq} (AUTOINCREMENT) fixes the order events were added; a claim
 * is one write transaction that picks the head of a key and leases it.
 */
final class SqliteInbox implements InboxStore {
    private static final String COLUMNS =
            "seq, id, ordering_key, kind, payload, received_at, attempts";

    private final SqliteDb db;

    SqliteInbox(SqliteDb db) {
        this.db = db;
    }

    @Override
    public boolean add(InboxEvent e, boolean supersedeQueued) {
        return db.write("add inbox event", c -> {
            int inserted = SqliteDb.update(c, "INSERT INTO inbox (id, ordering_key, kind, "
                    + "payload, received_at, state) VALUES (?, ?, ?, ?, ?, 'PENDING') "
                    + "ON CONFLICT (id) DO NOTHING",
                    e.id(), e.orderingKey(), e.kind(), e.payload(), e.receivedAt());
            if (inserted == 1 && supersedeQueued) {
                supersedeOlder(c, e);
            }
            return inserted == 1;
        });
    }

    private static void supersedeOlder(Connection c, InboxEvent e) throws SQLException {
        // Only events no worker holds: a leased one finishes, then the new one runs after it.
        SqliteDb.update(c, "UPDATE inbox SET state = 'SUPERSEDED', finished_at = ?, "
                + "owner = NULL, lease_until = NULL WHERE ordering_key = ? AND state = 'PENDING' "
                + "AND id <> ? AND seq < (SELECT seq FROM inbox WHERE id = ?) "
                + "AND (owner IS NULL OR lease_until <= ?)",
                e.receivedAt(), e.orderingKey(), e.id(), e.id(), e.receivedAt());
    }

    @Override
    public Optional<InboxClaim> claim(String worker, Instant now, Duration lease) {
        Instant until = now.plus(lease);
        return db.write("claim inbox event", c -> {
            Optional<InboxClaim> head = SqliteDb.one(c, "SELECT " + COLUMNS + " FROM inbox i "
                    + "WHERE state = 'PENDING' AND (lease_until IS NULL OR lease_until <= ?) "
                    + "AND NOT EXISTS (SELECT 1 FROM inbox j WHERE j.ordering_key = "
                    + "i.ordering_key AND j.state = 'PENDING' AND j.seq < i.seq) "
                    + "ORDER BY seq LIMIT 1",
                    rs -> claimOf(rs, worker, until), now);
            if (head.isPresent()) {
                SqliteDb.update(c, "UPDATE inbox SET owner = ?, lease_until = ?, "
                        + "attempts = attempts + 1 WHERE id = ?",
                        worker, until, head.get().event().id());
            }
            return head;
        });
    }

    private static InboxClaim claimOf(ResultSet rs, String worker, Instant until)
            throws SQLException {
        InboxEvent event = new InboxEvent(rs.getString("id"), rs.getString("ordering_key"),
                rs.getString("kind"), rs.getString("payload"),
                SqliteDb.instant(rs, "received_at"));
        return new InboxClaim(event, worker, rs.getInt("attempts") + 1, until);
    }

    @Override
    public boolean markProcessed(InboxClaim claim, Instant now) {
        return finish(claim, "PROCESSED", null, now);
    }

    @Override
    public boolean markFailed(InboxClaim claim, String error, Instant now) {
        return finish(claim, "FAILED", error, now);
    }

    private boolean finish(InboxClaim claim, String state, String error, Instant now) {
        return db.write("finish inbox event", c -> SqliteDb.update(c,
                "UPDATE inbox SET state = ?, last_error = coalesce(?, last_error), "
                        + "finished_at = ?, owner = NULL, lease_until = NULL "
                        + "WHERE id = ? AND state = 'PENDING' AND owner = ? AND attempts = ?",
                state, error, now, claim.event().id(), claim.worker(), claim.attempt()) == 1);
    }

    @Override
    public boolean retryLater(InboxClaim claim, String error, Instant retryAt) {
        return db.write("release inbox event", c -> SqliteDb.update(c,
                "UPDATE inbox SET last_error = ?, owner = NULL, lease_until = ? "
                        + "WHERE id = ? AND state = 'PENDING' AND owner = ? AND attempts = ?",
                error, retryAt, claim.event().id(), claim.worker(), claim.attempt()) == 1);
    }

    @Override
    public Optional<InboxStatus> status(String id) {
        return db.read("read inbox status", c -> SqliteDb.one(c,
                "SELECT id, state, attempts, last_error FROM inbox WHERE id = ?",
                rs -> new InboxStatus(rs.getString("id"),
                        InboxState.valueOf(rs.getString("state")), rs.getInt("attempts"),
                        Optional.ofNullable(rs.getString("last_error"))), id));
    }

    @Override
    public long countPending() {
        return db.read("count inbox", c -> SqliteDb.one(c,
                "SELECT count(*) FROM inbox WHERE state = 'PENDING'", rs -> rs.getLong(1))
                .orElse(0L));
    }
}
