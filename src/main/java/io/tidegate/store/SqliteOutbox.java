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

    SqliteOutbox(SqliteDb db) {
        this.db = db;
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
    public int releaseHeldBy(String worker, Instant now) {
        return db.write("release outbox leases", c -> SqliteDb.update(c,
                "UPDATE outbox SET owner = NULL, next_attempt_at = ? WHERE state = 'PENDING' "
                        + "AND owner = ? AND next_attempt_at > ?", now, worker, now));
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
                SqliteDb.update(c, "UPDATE outbox SET owner = ?, next_attempt_at = ?, "
                        + "attempts = attempts + 1 WHERE idempotency_key = ?",
                        worker, until, claim.effect().idempotencyKey());
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
    public boolean renew(OutboxClaim claim, Instant until) {
        return db.write("renew effect lease", c -> SqliteDb.update(c,
                "UPDATE outbox SET next_attempt_at = ? WHERE idempotency_key = ? "
                        + "AND state = 'PENDING' AND owner = ? AND attempts = ?",
                until, claim.effect().idempotencyKey(), claim.worker(), claim.attempt()) == 1);
    }

    @Override
    public boolean markDone(OutboxClaim claim, Instant now) {
        return finish(claim, "DONE", null, now);
    }

    @Override
    public boolean giveUp(OutboxClaim claim, String error, Instant now) {
        return finish(claim, "GAVE_UP", error, now);
    }

    private boolean finish(OutboxClaim claim, String state, String error, Instant now) {
        return db.write("finish effect", c -> SqliteDb.update(c,
                "UPDATE outbox SET state = ?, last_error = coalesce(?, last_error), "
                        + "finished_at = ?, owner = NULL WHERE idempotency_key = ? "
                        + "AND state = 'PENDING' AND owner = ? AND attempts = ?",
                state, error, now, claim.effect().idempotencyKey(), claim.worker(),
                claim.attempt()) == 1);
    }

    @Override
    public boolean retryAt(OutboxClaim claim, String error, Instant nextAttempt) {
        return db.write("reschedule effect", c -> SqliteDb.update(c,
                "UPDATE outbox SET last_error = ?, next_attempt_at = ?, owner = NULL "
                        + "WHERE idempotency_key = ? AND state = 'PENDING' AND owner = ? "
                        + "AND attempts = ?",
                error, nextAttempt, claim.effect().idempotencyKey(), claim.worker(),
                claim.attempt()) == 1);
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
