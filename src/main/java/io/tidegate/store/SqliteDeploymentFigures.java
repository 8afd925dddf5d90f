package io.tidegate.store;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Deployment figures as SQLite aggregates over the {@code deployments_env} and
 * {@code deployments_start} index ranges: a few rows per query whatever the month held.
 */
final class SqliteDeploymentFigures implements DeploymentFigures {
    private final SqliteDb db;

    SqliteDeploymentFigures(SqliteDb db) {
        this.db = db;
    }

    @Override
    public List<Count> counts(Scope s, Instant from, Instant until) {
        List<Object> args = new ArrayList<>();
        String where = where(s, from, until, args);
        return db.read("count deployments", c -> SqliteDb.query(c, "SELECT result, COUNT(*) AS n,"
                + " COALESCE(SUM(CASE WHEN result IN ('SUCCEEDED', 'FAILED') THEN finished_at"
                + " - started_at END), 0) AS ms FROM deployments" + where + " GROUP BY result",
                rs -> new Count(DeploymentStatus.valueOf(rs.getString("result")),
                        rs.getInt("n"), rs.getLong("ms")), args.toArray()));
    }

    @Override
    public List<DayCount> perDay(Scope s, Instant from, Instant until, int offsetSeconds) {
        List<Object> args = new ArrayList<>();
        args.add(offsetSeconds * 1000L);
        String where = where(s, from, until, args);
        return db.read("count deployments per day", c -> SqliteDb.query(c, "SELECT "
                + "(started_at + ?) / 86400000 AS day, result, COUNT(*) AS n FROM deployments"
                + where + " GROUP BY day, result ORDER BY day", rs -> new DayCount(
                        rs.getLong("day"), DeploymentStatus.valueOf(rs.getString("result")),
                        rs.getInt("n")), args.toArray()));
    }

    @Override
    public int[] durationHistogram(Scope s, Instant from, Instant until, Duration[] bounds) {
        StringBuilder bucket = new StringBuilder("CASE");
        for (int i = 0; i < bounds.length; i++) {
            bucket.append(" WHEN finished_at - started_at < ").append(bounds[i].toMillis())
                    .append(" THEN ").append(i);
        }
        bucket.append(" ELSE ").append(bounds.length).append(" END");
        List<Object> args = new ArrayList<>();
        String where = where(s, from, until, args) + " AND result IN ('SUCCEEDED', 'FAILED')";
        int[] out = new int[bounds.length + 1];
        db.read("deployment durations", c -> SqliteDb.query(c, "SELECT " + bucket
                + " AS b, COUNT(*) AS n FROM deployments" + where + " GROUP BY b", rs -> {
                    out[rs.getInt("b")] = rs.getInt("n");
                    return null;
                }, args.toArray()));
        return out;
    }

    private static String where(Scope s, Instant from, Instant until, List<Object> args) {
        StringBuilder w = new StringBuilder(" WHERE ");
        s.environment().ifPresent(e -> {
            w.append("environment = ? AND ");
            args.add(e);
        });
        w.append("started_at >= ? AND started_at <= ?");
        args.add(from);
        args.add(until);
        s.repo().ifPresent(r -> {
            w.append(" AND repo = ?");
            args.add(r);
        });
        return w.toString();
    }
}
