package io.tidegate.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * {@link Leases} over one SQLite queue table. The table has {@code state}, {@code owner},
 * {@code attempts}, {@code last_error} and {@code finished_at}, an id column and a lease column:
 * the inbox's {@code lease_until}, or the outbox's {@code next_attempt_at}, which is both the
 * lease's end and the next attempt's due time (so a finished effect keeps it).
 */
final class SqliteLeases implements Leases {
    /**
     * @param name          the table
     * @param id            its id column
     * @param lease         the column holding the lease's end
     * @param clearOnFinish whether a finished item's lease column is cleared
     * @param noun          what an item is called in error messages ({@code inbox event})
     */
    record Table(String name, String id, String lease, boolean clearOnFinish, String noun) {
        Table {
            Objects.requireNonNull(name, "name == null");
            Objects.requireNonNull(id, "id == null");
            Objects.requireNonNull(lease, "lease == null");
            Objects.requireNonNull(noun, "noun == null");
        }
    }

    private final SqliteDb db;
    private final Table t;
    /** The fence of every operation on a held item. */
    private final String held;

    SqliteLeases(SqliteDb db, Table table) {
        this.db = db;
        this.t = table;
        this.held = " WHERE " + t.id() + " = ? AND state = 'PENDING' AND owner = ? "
                + "AND attempts = ?";
    }

    /** Inside a claim's transaction: leases item {@code id} to {@code worker}, next attempt. */
    void take(Connection c, String id, String worker, Instant until) throws SQLException {
        SqliteDb.update(c, "UPDATE " + t.name() + " SET owner = ?, " + t.lease() + " = ?, "
                + "attempts = attempts + 1 WHERE " + t.id() + " = ?", worker, until, id);
    }

    @Override
    public boolean renew(Lease lease, Instant until) {
        return db.write("renew " + t.noun() + " lease", c -> SqliteDb.update(c,
                "UPDATE " + t.name() + " SET " + t.lease() + " = ?" + held,
                until, lease.id(), lease.worker(), lease.attempt()) == 1);
    }

    @Override
    public boolean finish(Lease lease, String state, Optional<String> error, Instant now) {
        return db.write("finish " + t.noun(), c -> SqliteDb.update(c,
                "UPDATE " + t.name() + " SET state = ?, last_error = coalesce(?, last_error), "
                        + "finished_at = ?, owner = NULL"
                        + (t.clearOnFinish() ? ", " + t.lease() + " = NULL" : "") + held,
                state, error.orElse(null), now, lease.id(), lease.worker(),
                lease.attempt()) == 1);
    }

    @Override
    public boolean giveBack(Lease lease, String error, Instant dueAt) {
        return db.write("give back " + t.noun(), c -> SqliteDb.update(c,
                "UPDATE " + t.name() + " SET last_error = ?, owner = NULL, " + t.lease()
                        + " = ?" + held,
                error, dueAt, lease.id(), lease.worker(), lease.attempt()) == 1);
    }

    @Override
    public int releaseHeldBy(String worker, Instant now) {
        return db.write("release " + t.noun() + " leases", c -> SqliteDb.update(c,
                "UPDATE " + t.name() + " SET owner = NULL, " + t.lease() + " = ? "
                        + "WHERE state = 'PENDING' AND owner = ? AND " + t.lease() + " > ?",
                now, worker, now));
    }
}
