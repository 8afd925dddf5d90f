package io.tidegate.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

import io.tidegate.decision.CostChange;
import io.tidegate.decision.ProjectRef;

/**
 * Cost reports in SQLite, one row per repo, PR, commit and project in {@code cost_reports}, and
 * one per report received in {@code cost_report_history}, written in the same transaction.
 */
final class SqliteCostReports implements CostReportStore {
    private final SqliteDb db;

    SqliteCostReports(SqliteDb db) {
        this.db = db;
    }

    @Override
    public void put(CostReport r) {
        db.write("save cost report", c -> {
            for (String table : List.of("cost_reports", "cost_report_history")) {
                SqliteDb.update(c, "INSERT OR REPLACE INTO " + table + " (repo, pr, head_sha, "
                        + "project_name, project_dir, workspace, monthly_increase, "
                        + "monthly_total, plan_json, recorded_at, currency) "
                        + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        r.repo(), r.pr(), r.headSha(), r.project().name(), r.project().dir(),
                        r.project().workspace(), Codec.decimal(r.cost().monthlyIncrease()),
                        Codec.decimal(r.cost().monthlyTotal()), Codec.planToJson(r.plan()),
                        r.recordedAt(), r.cost().currency().orElse(null));
            }
            return null;
        });
    }

    @Override
    public List<CostReport> forCommit(String repo, int pr, String headSha) {
        return db.read("read cost reports", c -> SqliteDb.query(c, "SELECT * FROM cost_reports "
                + "WHERE repo = ? AND pr = ? AND head_sha = ? "
                + "ORDER BY project_dir, workspace, project_name",
                SqliteCostReports::reportOf, repo, pr, headSha));
    }

    @Override
    public List<CostReport> historyForCommit(String repo, int pr, String headSha) {
        return db.read("read cost report history", c -> SqliteDb.query(c, "SELECT * FROM "
                + "cost_report_history WHERE repo = ? AND pr = ? AND head_sha = ? "
                + "ORDER BY recorded_at, project_dir, workspace, project_name",
                SqliteCostReports::reportOf, repo, pr, headSha));
    }

    @Override
    public List<Reported> reportedSince(java.time.Instant since) {
        return db.read("read reported projects", c -> SqliteDb.query(c, "SELECT DISTINCT repo, "
                + "pr, project_name, project_dir, workspace FROM cost_reports "
                + "WHERE recorded_at >= ?", rs -> new Reported(rs.getString("repo"),
                        rs.getInt("pr"), new ProjectRef(rs.getString("project_name"),
                                rs.getString("project_dir"), rs.getString("workspace"))),
                since));
    }

    private static CostReport reportOf(ResultSet rs) throws SQLException {
        ProjectRef project = new ProjectRef(rs.getString("project_name"),
                rs.getString("project_dir"), rs.getString("workspace"));
        CostChange cost = new CostChange(Codec.decimal(rs.getString("monthly_increase")),
                Codec.decimal(rs.getString("monthly_total")),
                java.util.Optional.ofNullable(rs.getString("currency")));
        return new CostReport(rs.getString("repo"), rs.getInt("pr"), rs.getString("head_sha"),
                project, cost, Codec.planFromJson(rs.getString("plan_json")),
                SqliteDb.instant(rs, "recorded_at"));
    }
}
