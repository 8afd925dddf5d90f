package io.tidegate.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

import io.tidegate.decision.Override;

/** Overrides in SQLite. */
final class SqliteOverrides implements OverrideStore {
    private final SqliteDb db;

    SqliteOverrides(SqliteDb db) {
        this.db = db;
    }

    @java.lang.Override
    public void add(OverrideRecord r) {
        db.write("save override", c -> SqliteDb.update(c, "INSERT OR REPLACE INTO overrides "
                + "(repo, pr, environment, user, commit_sha, at, reason, expires_at) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                r.repo(), r.pr(), r.environment(), r.override().user(),
                r.override().commitSha(), r.override().at(), r.override().reason(),
                r.expiresAt()));
    }

    @java.lang.Override
    public List<OverrideRecord> forPullRequest(String repo, int pr) {
        return db.read("read overrides", c -> SqliteDb.query(c, "SELECT * FROM overrides "
                + "WHERE repo = ? AND pr = ? ORDER BY at, environment, user",
                SqliteOverrides::recordOf, repo, pr));
    }

    private static OverrideRecord recordOf(ResultSet rs) throws SQLException {
        Override o = new Override(rs.getString("user"), rs.getString("commit_sha"),
                SqliteDb.instant(rs, "at"), rs.getString("reason"));
        return new OverrideRecord(rs.getString("repo"), rs.getInt("pr"),
                rs.getString("environment"), o, SqliteDb.instant(rs, "expires_at"));
    }
}
