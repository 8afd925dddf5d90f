package io.tidegate.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Deployment history in SQLite, paged newest first by (started_at, id). */
final class SqliteDeployments implements DeploymentStore {
    private final SqliteDb db;

    SqliteDeployments(SqliteDb db) {
        this.db = db;
    }

    @Override
    public void save(Deployment d) {
        db.write("save deployment", c -> SqliteDb.update(c, "INSERT OR REPLACE INTO deployments "
                + "(id, repo, pr, commit_sha, project, environment, actor, started_at, "
                + "finished_at, result, tree_sha) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                d.id(), d.repo(), d.pr(), d.commitSha(), d.project(), d.environment(),
                d.actor(), d.startedAt(), d.finishedAt().orElse(null), d.result().name(),
                d.treeSha().orElse(null)));
    }

    @Override
    public boolean saveIfRunning(Deployment d) {
        return db.write("end running deployment", c -> SqliteDb.update(c, "UPDATE deployments "
                + "SET finished_at = ?, result = ? WHERE id = ? AND result = ?",
                d.finishedAt().orElse(null), d.result().name(), d.id(),
                DeploymentStatus.RUNNING.name()) == 1);
    }

    @Override
    public Optional<Deployment> get(String id) {
        return db.read("read deployment", c -> SqliteDb.one(c,
                "SELECT * FROM deployments WHERE id = ?", SqliteDeployments::deploymentOf, id));
    }

    @Override
    public DeploymentPage list(DeploymentQuery q) {
        StringBuilder sql = new StringBuilder("SELECT * FROM deployments WHERE 1 = 1");
        List<Object> args = new ArrayList<>();
        q.environment().ifPresent(env -> {
            sql.append(" AND environment = ?");
            args.add(env);
        });
        q.repo().ifPresent(repo -> {
            sql.append(" AND repo = ?");
            args.add(repo);
        });
        if (q.cursor().isPresent()) {
            Map.Entry<Long, String> after = Codec.cursor(q.cursor().get());
            sql.append(" AND (started_at < ? OR (started_at = ? AND id < ?))");
            args.addAll(List.of(after.getKey(), after.getKey(), after.getValue()));
        }
        sql.append(" ORDER BY started_at DESC, id DESC LIMIT ?");
        args.add(q.limit() + 1);
        List<Deployment> rows = db.read("list deployments", c -> SqliteDb.query(c,
                sql.toString(), SqliteDeployments::deploymentOf, args.toArray()));
        return page(rows, q.limit());
    }

    /** One row more than asked tells whether there is a next page. */
    static DeploymentPage page(List<Deployment> rows, int limit) {
        if (rows.size() <= limit) {
            return new DeploymentPage(rows, Optional.empty());
        }
        List<Deployment> items = rows.subList(0, limit);
        return new DeploymentPage(items, Optional.of(Codec.cursor(items.get(limit - 1))));
    }

    @Override
    public List<Deployment> startedSince(Optional<String> environment, Instant from) {
        return db.read("read deployments", c -> environment.isPresent()
                ? SqliteDb.query(c, "SELECT * FROM deployments WHERE environment = ? "
                        + "AND started_at >= ? ORDER BY started_at DESC, id DESC",
                        SqliteDeployments::deploymentOf, environment.get(), from)
                : SqliteDb.query(c, "SELECT * FROM deployments WHERE started_at >= ? "
                        + "ORDER BY started_at DESC, id DESC",
                        SqliteDeployments::deploymentOf, from));
    }

    private static Deployment deploymentOf(ResultSet rs) throws SQLException {
        return new Deployment(rs.getString("id"), rs.getString("repo"), rs.getInt("pr"),
                rs.getString("commit_sha"), rs.getString("project"),
                rs.getString("environment"), rs.getString("actor"),
                SqliteDb.instant(rs, "started_at"), SqliteDb.optionalInstant(rs, "finished_at"),
                DeploymentStatus.valueOf(rs.getString("result")),
                Optional.ofNullable(rs.getString("tree_sha")));
    }
}
