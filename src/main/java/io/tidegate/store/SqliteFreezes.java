package io.tidegate.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import io.tidegate.decision.Freeze;

/** Freezes in SQLite: one row per environment. */
final class SqliteFreezes implements FreezeStore {
    private final SqliteDb db;

    SqliteFreezes(SqliteDb db) {
        this.db = db;
    }

    @Override
    public void put(Freeze f) {
        db.write("save freeze", c -> SqliteDb.update(c, "INSERT OR REPLACE INTO freezes "
                + "(environment, frozen_by, reason, since, until, overridable) "
                + "VALUES (?, ?, ?, ?, ?, ?)", f.environment(), f.by(), f.reason(), f.since(),
                f.until().orElse(null), f.overridable() ? 1 : 0));
    }

    @Override
    public Optional<Freeze> remove(String environment, Instant now) {
        return db.write("remove freeze", c -> {
            Optional<Freeze> was = SqliteDb.one(c, "SELECT * FROM freezes WHERE environment = ?",
                    SqliteFreezes::freezeOf, environment);
            SqliteDb.update(c, "DELETE FROM freezes WHERE environment = ?", environment);
            return was.filter(f -> f.isActiveAt(now));
        });
    }

    @Override
    public List<Freeze> active(Instant now) {
        return db.read("read freezes", c -> SqliteDb.query(c, "SELECT * FROM freezes "
                + "ORDER BY environment", SqliteFreezes::freezeOf)).stream()
                .filter(f -> f.isActiveAt(now)).toList();
    }

    private static Freeze freezeOf(ResultSet rs) throws SQLException {
        return new Freeze(rs.getString("environment"), rs.getString("frozen_by"),
                rs.getString("reason"), SqliteDb.instant(rs, "since"),
                SqliteDb.optionalInstant(rs, "until"), rs.getInt("overridable") == 1);
    }
}
