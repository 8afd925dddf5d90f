package io.tidegate.store;

import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * The audit searched in SQLite. Each filter narrows an index range: (repo, pr, time),
 * (repo, time), (environment, time) or (time, seq) (migration 3), read newest first, so a page
 * costs its rows, not the table.
 */
final class SqliteDecisionLog implements DecisionLog {
    private final SqliteDb db;

    SqliteDecisionLog(SqliteDb db) {
        this.db = db;
    }

    @Override
    public Page search(DecisionSearch q) {
        StringBuilder sql = new StringBuilder("SELECT * FROM audit WHERE 1 = 1");
        List<Object> args = new ArrayList<>();
        q.repo().ifPresent(v -> add(sql, args, " AND repo = ?", v));
        q.pr().ifPresent(v -> add(sql, args, " AND pr = ?", v));
        q.environment().ifPresent(v -> add(sql, args, " AND environment = ?", v));
        q.verdict().ifPresent(v -> add(sql, args, " AND decision = ?", v));
        q.from().ifPresent(v -> add(sql, args, " AND time >= ?", v));
        q.until().ifPresent(v -> add(sql, args, " AND time < ?", v));
        if (q.cursor().isPresent()) {
            long[] after = cursor(q.cursor().get());
            sql.append(" AND (time < ? OR (time = ? AND seq < ?))");
            args.addAll(List.of(after[0], after[0], after[1]));
        }
        sql.append(" ORDER BY time DESC, seq DESC LIMIT ?");
        args.add(q.limit() + 1);
        List<Entry> rows = db.read("search audit", c -> SqliteDb.query(c, sql.toString(),
                SqliteDecisionLog::entryOf, args.toArray()));
        if (rows.size() <= q.limit()) {
            return new Page(rows, Optional.empty());
        }
        List<Entry> items = rows.subList(0, q.limit());
        Entry last = items.get(items.size() - 1);
        String raw = last.record().time().toEpochMilli() + ":" + last.id();
        return new Page(items, Optional.of(Base64.getUrlEncoder().withoutPadding()
                .encodeToString(raw.getBytes(StandardCharsets.UTF_8))));
    }

    private static void add(StringBuilder sql, List<Object> args, String clause, Object v) {
        sql.append(clause);
        args.add(v);
    }

    /** Time millis and seq from a cursor. */
    private static long[] cursor(String cursor) {
        try {
            String raw = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            int colon = raw.indexOf(':');
            return new long[] {Long.parseLong(raw.substring(0, colon)),
                    Long.parseLong(raw.substring(colon + 1))};
        } catch (IllegalArgumentException | StringIndexOutOfBoundsException e) {
            throw new IllegalArgumentException("cursor is malformed", e);
        }
    }

    private static Entry entryOf(ResultSet rs) throws SQLException {
        return new Entry(Long.toString(rs.getLong("seq")), new AuditRecord(
                SqliteDb.instant(rs, "time"), rs.getString("repo"), rs.getInt("pr"),
                rs.getString("head_sha"), rs.getString("project"), rs.getString("environment"),
                rs.getString("command"), rs.getString("actor"), rs.getString("decision"),
                Codec.stringsFromJson(rs.getString("reason_codes")), rs.getString("policy_hash"),
                rs.getString("facts_json")));
    }
}
