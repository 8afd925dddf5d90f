package io.tidegate.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

/** Audit in SQLite; triggers refuse every UPDATE and DELETE on the table. */
final class SqliteAudit implements AuditStore {
    private final SqliteDb db;

    SqliteAudit(SqliteDb db) {
        this.db = db;
    }

    @Override
    public void append(AuditRecord r) {
        db.write("append audit record", c -> SqliteDb.update(c, "INSERT INTO audit (time, repo, "
                + "pr, head_sha, project, environment, command, actor, decision, reason_codes, "
                + "policy_hash, facts_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                r.time(), r.repo(), r.pr(), r.headSha(), r.project(), r.environment(),
                r.command(), r.actor(), r.decision(), Codec.stringsToJson(r.reasonCodes()),
                r.policyHash(), r.factsJson()));
    }

    @Override
    public List<AuditRecord> forRepository(String repo, int limit) {
        return db.read("read audit", c -> SqliteDb.query(c, "SELECT * FROM audit WHERE repo = ? "
                + "ORDER BY time DESC, seq DESC LIMIT ?", SqliteAudit::recordOf, repo, limit));
    }

    @Override
    public List<AuditRecord> forPullRequest(String repo, int pr, int limit) {
        return db.read("read audit", c -> SqliteDb.query(c, "SELECT * FROM audit WHERE repo = ? "
                + "AND pr = ? ORDER BY time DESC, seq DESC LIMIT ?", SqliteAudit::recordOf,
                repo, pr, limit));
    }

    private static AuditRecord recordOf(ResultSet rs) throws SQLException {
        return new AuditRecord(SqliteDb.instant(rs, "time"), rs.getString("repo"),
                rs.getInt("pr"), rs.getString("head_sha"), rs.getString("project"),
                rs.getString("environment"), rs.getString("command"), rs.getString("actor"),
                rs.getString("decision"), Codec.stringsFromJson(rs.getString("reason_codes")),
                rs.getString("policy_hash"), rs.getString("facts_json"));
    }
}
