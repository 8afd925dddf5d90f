package io.tidegate.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Locks in SQLite: one upsert whose WHERE lets it through only when the lock is free, expired
 * or ours, inside a write transaction that also reads back the holder.
 */
final class SqliteLocks implements LockStore {
    private final SqliteDb db;

    SqliteLocks(SqliteDb db) {
        this.db = db;
    }

    @Override
    public LockResult acquire(String environment, String owner, Instant now, Duration ttl) {
        return db.write("acquire lock", c -> {
            int changed = SqliteDb.update(c, "INSERT INTO locks (environment, owner, "
                    + "acquired_at, expires_at) VALUES (?, ?, ?, ?) "
                    + "ON CONFLICT (environment) DO UPDATE SET "
                    // re-acquiring our own live lock extends it but keeps when we took it
                    + "acquired_at = CASE WHEN locks.owner = excluded.owner "
                    + "AND locks.expires_at > ? THEN locks.acquired_at "
                    + "ELSE excluded.acquired_at END, "
                    + "owner = excluded.owner, expires_at = excluded.expires_at "
                    + "WHERE locks.expires_at <= ? OR locks.owner = excluded.owner",
                    environment, owner, now, now.plus(ttl), now, now);
            HeldLock holder = SqliteDb.one(c, "SELECT * FROM locks WHERE environment = ?",
                    SqliteLocks::lockOf, environment).orElseThrow();
            return changed == 1 ? new LockResult.Acquired(holder) : new LockResult.Busy(holder);
        });
    }

    @Override
    public boolean release(String environment, String owner) {
        return db.write("release lock", c -> SqliteDb.update(c,
                "DELETE FROM locks WHERE environment = ? AND owner = ?", environment, owner) == 1);
    }

    @Override
    public Optional<HeldLock> current(String environment, Instant now) {
        return db.read("read lock", c -> SqliteDb.one(c, "SELECT * FROM locks "
                + "WHERE environment = ? AND expires_at > ?", SqliteLocks::lockOf,
                environment, now));
    }

    @Override
    public List<HeldLock> held(Instant now) {
        return db.read("read locks", c -> SqliteDb.query(c, "SELECT * FROM locks "
                + "WHERE expires_at > ? ORDER BY environment", SqliteLocks::lockOf, now));
    }

    private static HeldLock lockOf(ResultSet rs) throws SQLException {
        return new HeldLock(rs.getString("environment"), rs.getString("owner"),
                SqliteDb.instant(rs, "acquired_at"), SqliteDb.instant(rs, "expires_at"));
    }
}
