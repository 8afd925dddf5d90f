package io.tidegate.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The outbox in SQLite: a claim pushes {@code next_attempt_at} to the end of the lease. */
final class SqliteOutbox implements OutboxStore {
    private final SqliteDb db;
    private final SqliteLeases leases;

    SqliteOutbox(SqliteDb db) {
        this.db = db;
        // next_attempt_at is the lease's end while held and the due time after: a finished
        // effect keeps it
        this.leases = new SqliteLeases(db, new SqliteLeases.Table("outbox", "idempotency_key",
                "next_attempt_at", false, "effect"));
    }

    @Override
    public Leases leases() {
        return leases;
    }

    @Override
    public boolean enqueue(Effect e, Instant now) {
        return db.write("enqueue effect", c -> SqliteDb.update(c,
                "INSERT INTO outbox (idempotency_key, kind, payload, state, created_at, "
                        + "next_attempt_at) VALUES (?, ?, ?, 'PENDING', ?, ?) "
                        + "ON CONFLICT (idempotency_key) DO NOTHING",
                e.idempotencyKey(), e.kind(), e.payload(), now, now) == 1);
    }

    @Override
    public List<OutboxClaim> claimDue(String worker, Instant now, Duration lease, int max) {
        Instant until = now.plus(lease);
        return db.write("claim effects", c -> {
            List<OutboxClaim> due = SqliteDb.query(c, "SELECT idempotency_key, kind, payload, "
                    + "attempts FROM outbox WHERE state = 'PENDING' AND next_attempt_at <= ? "
                    + "ORDER BY next_attempt_at, created_at LIMIT ?",
                    rs -> claimOf(rs, worker, until), now, max);
            for (OutboxClaim claim : due) {
                leases.take(c, claim.effect().idempotencyKey(), worker, until);
            }
            return due;
        });
    }

    private static OutboxClaim claimOf(ResultSet rs, String worker, Instant until)
            throws SQLException {
        Effect e = new Effect(rs.getString("idempotency_key"), rs.getString("kind"),
                rs.getString("payload"));
        return new OutboxClaim(e, worker, rs.getInt("attempts") + 1, until);
    }

    @Override
    public long countPending() {
        return db.read("count outbox", c -> SqliteDb.one(c,
                "SELECT count(*) FROM outbox WHERE state = 'PENDING'", rs -> rs.getLong(1))
                .orElse(0L));
    }

    @Override
    public Optional<OutboxEntry> get(String key) {
        return db.read("read effect", c -> SqliteDb.one(c, "SELECT * FROM outbox "
                + "WHERE idempotency_key = ?", SqliteOutbox::entryOf, key));
    }

    private static OutboxEntry entryOf(ResultSet rs) throws SQLException {
        Effect e = new Effect(rs.getString("idempotency_key"), rs.getString("kind"),
                rs.getString("payload"));
        return new OutboxEntry(e, OutboxState.valueOf(rs.getString("state")),
                rs.getInt("attempts"), SqliteDb.instant(rs, "created_at"),
                SqliteDb.instant(rs, "next_attempt_at"),
                Optional.ofNullable(rs.getString("last_error")));
    }
}
