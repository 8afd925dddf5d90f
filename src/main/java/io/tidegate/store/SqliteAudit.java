package io.tidegate.store;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * Audit in SQLite; triggers refuse every UPDATE and DELETE on the table. An entry's id is its
 * {@code seq}; the organisation-wide read pages by {@code (time, seq)} (index
 * {@code audit_time}).
 */
final class SqliteAudit implements AuditStore, AuditLog {
    private static final String INSERT = "INSERT INTO audit (time, repo, pr, head_sha, project, "
            + "environment, command, actor, decision, reason_codes, policy_hash, facts_json) "
            + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

    private final SqliteDb db;
    /** Concurrent gate decisions share one commit (see {@link SqliteGroupCommit}). */
    private final SqliteGroupCommit<AuditRecord, Boolean> appends;

    SqliteAudit(SqliteDb db) {
        this.db = db;
        this.appends = new SqliteGroupCommit<>(db, "append audit record", "sqlite-audit-writer",
                SqliteAudit::insertAll, SqliteGroupCommit.Inline.WHEN_IDLE);
    }

    /** Returns once the record is committed; a failed write throws (the gate then denies). */
    @Override
    public void append(AuditRecord r) {
        appends.submit(r);
    }

    /** Stops the writer after the records already queued; later appends fail. */
    void close() {
        appends.close();
    }

    private static List<Boolean> insertAll(Connection c, List<AuditRecord> records)
            throws SQLException {
        for (AuditRecord r : records) {
            SqliteDb.update(c, INSERT, r.time(), r.repo(), r.pr(), r.headSha(), r.project(),
                    r.environment(), r.command(), r.actor(), r.decision(),
                    Codec.stringsToJson(r.reasonCodes()), r.policyHash(), r.factsJson());
        }
        return Collections.nCopies(records.size(), Boolean.TRUE);
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

    @Override
    public Optional<AuditEntry> find(String id) {
        if (!id.matches("[1-9][0-9]{0,17}")) {
            return Optional.empty();
        }
        return db.read("read audit", c -> SqliteDb.one(c, "SELECT * FROM audit WHERE seq = ?",
                SqliteAudit::entryOf, Long.parseLong(id)));
    }

    @Override
    public AuditPage page(AuditQuery q, int limit) {
        checkLimit(limit);
        List<AuditEntry> entries = rows(q, limit, false);
        Optional<String> next = entries.size() < limit ? Optional.empty()
                : Optional.of(cursor(entries.get(entries.size() - 1)));
        return new AuditPage(entries, next);
    }

    @Override
    public AuditPage newest(AuditQuery q, int limit) {
        checkLimit(limit);
        List<AuditEntry> rows = rows(q, limit + 1, true);
        if (rows.size() <= limit) {
            return new AuditPage(rows, Optional.empty());
        }
        List<AuditEntry> entries = rows.subList(0, limit);
        return new AuditPage(entries, Optional.of(cursor(entries.get(limit - 1))));
    }

    private static void checkLimit(int limit) {
        if (limit < 1 || limit > MAX_PAGE) {
            throw new IllegalArgumentException("limit must be 1.." + MAX_PAGE + ", got " + limit);
        }
    }

    /**
     * Up to {@code count} rows past the query's cursor, oldest or newest first. Each filter
     * narrows an index range: (repo, pr, time), (repo, time), (environment, time) or (time,
     * seq), read in either direction, so a page costs its rows, not the table.
     */
    private List<AuditEntry> rows(AuditQuery q, int count, boolean newestFirst) {
        long edge = newestFirst ? Long.MAX_VALUE : Long.MIN_VALUE;
        long[] from = q.cursor().map(SqliteAudit::position).orElse(new long[] {edge, edge});
        String past = newestFirst ? "<" : ">";
        StringBuilder sql = new StringBuilder("SELECT * FROM audit WHERE (time " + past
                + " ? OR (time = ? AND seq " + past + " ?)) AND time >= ? AND time < ?");
        List<Object> args = new ArrayList<>(List.of(from[0], from[0], from[1],
                q.since().map(t -> t.toEpochMilli()).orElse(Long.MIN_VALUE),
                q.until().map(t -> t.toEpochMilli()).orElse(Long.MAX_VALUE)));
        filter(sql, args, "repo", q.repo());
        filter(sql, args, "pr", q.pr());
        filter(sql, args, "environment", q.environment());
        filter(sql, args, "decision", q.decision());
        sql.append(newestFirst ? " ORDER BY time DESC, seq DESC LIMIT ?"
                : " ORDER BY time, seq LIMIT ?");
        args.add(count);
        return db.read("read audit", c -> SqliteDb.query(c, sql.toString(),
                SqliteAudit::entryOf, args.toArray()));
    }

    private static void filter(StringBuilder sql, List<Object> args, String column,
            Optional<?> value) {
        value.ifPresent(v -> {
            sql.append(" AND ").append(column).append(" = ?");
            args.add(v);
        });
    }

    private static String cursor(AuditEntry last) {
        String raw = last.record().time().toEpochMilli() + ":" + last.id();
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    /** Time and seq from a cursor; {@link IllegalArgumentException} when malformed. */
    private static long[] position(String cursor) {
        try {
            String raw = new String(Base64.getUrlDecoder().decode(cursor),
                    StandardCharsets.UTF_8);
            String[] parts = raw.split(":", -1);
            if (parts.length != 2) {
                throw new IllegalArgumentException("cursor is malformed");
            }
            return new long[] {Long.parseLong(parts[0]), Long.parseLong(parts[1])};
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("cursor is malformed", e);
        }
    }

    private static AuditEntry entryOf(ResultSet rs) throws SQLException {
        return new AuditEntry(Long.toString(rs.getLong("seq")), recordOf(rs));
    }

    private static AuditRecord recordOf(ResultSet rs) throws SQLException {
        return new AuditRecord(SqliteDb.instant(rs, "time"), rs.getString("repo"),
                rs.getInt("pr"), rs.getString("head_sha"), rs.getString("project"),
                rs.getString("environment"), rs.getString("command"), rs.getString("actor"),
                rs.getString("decision"), Codec.stringsFromJson(rs.getString("reason_codes")),
                rs.getString("policy_hash"), rs.getString("facts_json"));
    }
}
