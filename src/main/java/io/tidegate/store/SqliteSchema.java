package io.tidegate.store;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The SQLite schema as a list of migrations; {@code PRAGMA user_version} records how many ran.
 * Add a migration at the end; never edit one that has shipped. Times are epoch milliseconds.
 */
final class SqliteSchema {
    private static final List<String> MIGRATIONS = List.of(
            """
            CREATE TABLE deliveries (
                id TEXT PRIMARY KEY,
                expires_at INTEGER NOT NULL);
            CREATE TABLE inbox (
                seq INTEGER PRIMARY KEY AUTOINCREMENT,
                id TEXT NOT NULL UNIQUE,
                ordering_key TEXT NOT NULL,
                kind TEXT NOT NULL,
                payload TEXT NOT NULL,
                received_at INTEGER NOT NULL,
                state TEXT NOT NULL,
                owner TEXT,
                lease_until INTEGER,
                attempts INTEGER NOT NULL DEFAULT 0,
                last_error TEXT,
                finished_at INTEGER);
            CREATE INDEX inbox_pending ON inbox (state, seq);
            CREATE INDEX inbox_key ON inbox (ordering_key, state, seq);
            CREATE TABLE outbox (
                idempotency_key TEXT PRIMARY KEY,
                kind TEXT NOT NULL,
                payload TEXT NOT NULL,
                state TEXT NOT NULL,
                attempts INTEGER NOT NULL DEFAULT 0,
                created_at INTEGER NOT NULL,
                next_attempt_at INTEGER NOT NULL,
                last_error TEXT,
                owner TEXT,
                finished_at INTEGER);
            CREATE INDEX outbox_due ON outbox (state, next_attempt_at);
            CREATE TABLE audit (
                seq INTEGER PRIMARY KEY AUTOINCREMENT,
                time INTEGER NOT NULL,
                repo TEXT NOT NULL,
                pr INTEGER NOT NULL,
                head_sha TEXT NOT NULL,
                project TEXT NOT NULL,
                environment TEXT NOT NULL,
                command TEXT NOT NULL,
                actor TEXT NOT NULL,
                decision TEXT NOT NULL,
                reason_codes TEXT NOT NULL,
                policy_hash TEXT NOT NULL,
                facts_json TEXT NOT NULL);
            CREATE INDEX audit_pr ON audit (repo, pr, time);
            CREATE INDEX audit_repo ON audit (repo, time);
            CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
                BEGIN SELECT RAISE(ABORT, 'audit records are append-only'); END;
            CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
                BEGIN SELECT RAISE(ABORT, 'audit records are append-only'); END;
            CREATE TABLE cost_reports (
                repo TEXT NOT NULL,
                pr INTEGER NOT NULL,
                head_sha TEXT NOT NULL,
                project_name TEXT NOT NULL,
                project_dir TEXT NOT NULL,
                workspace TEXT NOT NULL,
                monthly_increase TEXT,
                monthly_total TEXT,
                plan_json TEXT NOT NULL,
                recorded_at INTEGER NOT NULL,
                PRIMARY KEY (repo, pr, head_sha, project_dir, workspace, project_name));
            CREATE TABLE overrides (
                repo TEXT NOT NULL,
                pr INTEGER NOT NULL,
                environment TEXT NOT NULL,
                user TEXT NOT NULL,
                commit_sha TEXT NOT NULL,
                at INTEGER NOT NULL,
                reason TEXT NOT NULL,
                expires_at INTEGER NOT NULL,
                PRIMARY KEY (repo, pr, environment, user, at));
            CREATE TABLE locks (
                environment TEXT PRIMARY KEY,
                owner TEXT NOT NULL,
                acquired_at INTEGER NOT NULL,
                expires_at INTEGER NOT NULL);
            CREATE TABLE deployments (
                id TEXT PRIMARY KEY,
                repo TEXT NOT NULL,
                pr INTEGER NOT NULL,
                commit_sha TEXT NOT NULL,
                project TEXT NOT NULL,
                environment TEXT NOT NULL,
                actor TEXT NOT NULL,
                started_at INTEGER NOT NULL,
                finished_at INTEGER,
                result TEXT NOT NULL);
            CREATE INDEX deployments_env ON deployments (environment, started_at, id);
            CREATE INDEX deployments_start ON deployments (started_at, id);
            """,
            // 2: every cost report received, so an approval is tied to the cost it was given
            // for even after a re-plan replaced that report; the current ones are its start.
            """
            CREATE TABLE cost_report_history (
                repo TEXT NOT NULL,
                pr INTEGER NOT NULL,
                head_sha TEXT NOT NULL,
                project_name TEXT NOT NULL,
                project_dir TEXT NOT NULL,
                workspace TEXT NOT NULL,
                monthly_increase TEXT,
                monthly_total TEXT,
                plan_json TEXT NOT NULL,
                recorded_at INTEGER NOT NULL,
                PRIMARY KEY (repo, pr, head_sha, project_dir, workspace, project_name,
                    recorded_at));
            INSERT INTO cost_report_history SELECT repo, pr, head_sha, project_name,
                project_dir, workspace, monthly_increase, monthly_total, plan_json, recorded_at
                FROM cost_reports;
            """,
            // 3: the review schedule: per open reviewed PR, when time next changes its verdict
            """
            CREATE TABLE review_schedule (
                repo TEXT NOT NULL,
                pr INTEGER NOT NULL,
                head_sha TEXT NOT NULL,
                due_at INTEGER,
                environment TEXT NOT NULL,
                why TEXT NOT NULL,
                environments TEXT NOT NULL,
                lock_waits TEXT NOT NULL,
                reviewed_at INTEGER NOT NULL,
                facts TEXT NOT NULL,
                PRIMARY KEY (repo, pr));
            CREATE INDEX review_schedule_due ON review_schedule (due_at);
            """,
            // 4: on-demand freezes, one per environment (tidegate freeze, the API); and an index
            // to find the PRs planned lately when a freeze re-evaluates an environment's PRs.
            """
            CREATE TABLE freezes (
                environment TEXT PRIMARY KEY,
                frozen_by TEXT NOT NULL,
                reason TEXT NOT NULL,
                since INTEGER NOT NULL,
                until INTEGER,
                overridable INTEGER NOT NULL);
            CREATE INDEX cost_reports_recorded ON cost_reports (recorded_at);
            """,
            // 5: the text of every policy version that decided (replay), and the audit read
            // organisation-wide in time order (export, what-if). IF NOT EXISTS: a file whose
            // user_version was set back (tests of older upgrades) still migrates.
            """
            CREATE TABLE IF NOT EXISTS policy_versions (
                sha256 TEXT PRIMARY KEY,
                files_json TEXT NOT NULL,
                first_seen INTEGER NOT NULL);
            CREATE TRIGGER IF NOT EXISTS policy_versions_no_update BEFORE UPDATE
                ON policy_versions
                BEGIN SELECT RAISE(ABORT, 'policy versions are append-only'); END;
            CREATE INDEX IF NOT EXISTS audit_time ON audit (time, seq);
            """,
            // 6: the dashboard: the audit across repositories by time and by environment, and
            // the last review of every open PR
            """
            CREATE INDEX IF NOT EXISTS audit_time ON audit (time, seq);
            CREATE INDEX IF NOT EXISTS audit_env_time ON audit (environment, time, seq);
            CREATE TABLE IF NOT EXISTS review_board (
                repo TEXT NOT NULL,
                pr INTEGER NOT NULL,
                reviewed_at INTEGER NOT NULL,
                json TEXT NOT NULL,
                PRIMARY KEY (repo, pr));
            """,
            // 7: the currency Infracost priced a report in (null: before it was kept)
            """
            ALTER TABLE cost_reports ADD COLUMN currency TEXT;
            ALTER TABLE cost_report_history ADD COLUMN currency TEXT;
            """,
            // 8: the Git tree of each deployment's commit, for promotion (same: tree)
            """
            ALTER TABLE deployments ADD COLUMN tree_sha TEXT;
            """,
            // 9: the inbox rebuilt for a cheaper intake (issue 19), its rows and their seq kept.
            // - seq without AUTOINCREMENT, which kept the largest seq ever used in
            //   sqlite_sequence: one more page written at every intake. A new event takes the
            //   largest seq present plus one, so it still comes after every event in the inbox,
            //   which is all the order needs; nothing keeps a seq outside the table.
            // - the two indexes hold pending events only: an intake that supersedes the PR's
            //   pending event took it out of both and put it back under SUPERSEDED, two more
            //   pages. Every statement that uses them says state = 'PENDING' as a literal, which
            //   is what lets SQLite use a partial index (SqliteInboxPlansTest checks it).
            // An intake's transaction (insert and supersede, 20,000 finished events present):
            // 86-94 µs of CPU before, 80-85 without AUTOINCREMENT, 59-63 with both.
            """
            CREATE TABLE inbox_9 (
                seq INTEGER PRIMARY KEY,
                id TEXT NOT NULL UNIQUE,
                ordering_key TEXT NOT NULL,
                kind TEXT NOT NULL,
                payload TEXT NOT NULL,
                received_at INTEGER NOT NULL,
                state TEXT NOT NULL,
                owner TEXT,
                lease_until INTEGER,
                attempts INTEGER NOT NULL DEFAULT 0,
                last_error TEXT,
                finished_at INTEGER);
            INSERT INTO inbox_9 (seq, id, ordering_key, kind, payload, received_at, state, owner,
                lease_until, attempts, last_error, finished_at)
                SELECT seq, id, ordering_key, kind, payload, received_at, state, owner,
                lease_until, attempts, last_error, finished_at FROM inbox;
            DROP TABLE inbox;
            ALTER TABLE inbox_9 RENAME TO inbox;
            CREATE INDEX inbox_pending ON inbox (seq) WHERE state = 'PENDING';
            CREATE INDEX inbox_key ON inbox (ordering_key, seq) WHERE state = 'PENDING';
            DELETE FROM sqlite_sequence WHERE name = 'inbox';
            """,
            // 10: the audit moves to a file of its own (SqliteStore.auditFileOf, schema
            // AUDIT_MIGRATIONS), attached here as audit_file for this migration only. Why (issue
            // 19): in WAL mode a reader drops its page cache when it begins after any commit to
            // its file, and every gate decision commits an audit row, so every decision's reads
            // of cost reports, overrides and locks started from a cold cache. OR IGNORE: should
            // the process stop between the two files' commits (WAL commits each file on its
            // own), the copy runs again on the next start and skips the rows already there.
            """
            INSERT OR IGNORE INTO audit_file.audit (seq, time, repo, pr, head_sha, project,
                environment, command, actor, decision, reason_codes, policy_hash, facts_json)
                SELECT seq, time, repo, pr, head_sha, project, environment, command, actor,
                decision, reason_codes, policy_hash, facts_json FROM main.audit;
            DROP TABLE main.audit;
            """);

    /** The schema name migration 10 expects the audit file attached under. */
    static final String AUDIT_FILE_SCHEMA = "audit_file";

    /** The audit file's own schema, versioned by its own {@code user_version}. */
    private static final List<String> AUDIT_MIGRATIONS = List.of(
            // 1: the audit table as the main file had it after migration 6, but seq without
            // AUTOINCREMENT: rows are never deleted (the trigger), so the largest seq plus one is
            // the same number, without one more page (sqlite_sequence) written per record.
            """
            CREATE TABLE audit (
                seq INTEGER PRIMARY KEY,
                time INTEGER NOT NULL,
                repo TEXT NOT NULL,
                pr INTEGER NOT NULL,
                head_sha TEXT NOT NULL,
                project TEXT NOT NULL,
                environment TEXT NOT NULL,
                command TEXT NOT NULL,
                actor TEXT NOT NULL,
                decision TEXT NOT NULL,
                reason_codes TEXT NOT NULL,
                policy_hash TEXT NOT NULL,
                facts_json TEXT NOT NULL);
            CREATE INDEX audit_pr ON audit (repo, pr, time);
            CREATE INDEX audit_repo ON audit (repo, time);
            CREATE INDEX audit_time ON audit (time, seq);
            CREATE INDEX audit_env_time ON audit (environment, time, seq);
            CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
                BEGIN SELECT RAISE(ABORT, 'audit records are append-only'); END;
            CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
                BEGIN SELECT RAISE(ABORT, 'audit records are append-only'); END;
            """);

    private SqliteSchema() {}

    /**
     * Runs the migrations the main file has not seen yet; called inside a write transaction,
     * with the audit file attached as {@link #AUDIT_FILE_SCHEMA} when the file is older than
     * migration 10.
     */
    static Void migrate(Connection c) throws SQLException {
        return migrate(c, MIGRATIONS, "database");
    }

    /** The same for the audit file ({@code SqliteStore.auditFileOf}). */
    static Void migrateAudit(Connection c) throws SQLException {
        return migrate(c, AUDIT_MIGRATIONS, "audit");
    }

    private static Void migrate(Connection c, List<String> migrations, String kind)
            throws SQLException {
        int version = userVersion(c);
        if (version > migrations.size()) {
            throw new SQLException("the " + kind + " file has schema version " + version
                    + ", newer than this Tidegate knows (" + migrations.size()
                    + "): use a newer Tidegate");
        }
        try (Statement st = c.createStatement()) {
            for (int i = version; i < migrations.size(); i++) {
                for (String sql : statements(migrations.get(i))) {
                    st.execute(sql);
                }
            }
            st.execute("PRAGMA user_version = " + migrations.size());
        }
        return null;
    }

    static int version() {
        return MIGRATIONS.size();
    }

    static int auditVersion() {
        return AUDIT_MIGRATIONS.size();
    }

    /** The main file's version from which the audit lives in its own file. */
    static final int AUDIT_IN_OWN_FILE = 10;

    static int userVersion(Connection c) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                "PRAGMA user_version")) {
            return rs.next() ? rs.getInt(1) : 0;
        }
    }

    /** Splits on statement ends, keeping trigger bodies (which contain ';') whole. */
    private static List<String> statements(String script) {
        List<String> out = new java.util.ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : script.split("\n")) {
            current.append(line).append('\n');
            String t = line.trim();
            boolean inTrigger = current.toString().contains("CREATE TRIGGER");
            if (inTrigger ? t.endsWith("END;") : t.endsWith(";")) {
                out.add(current.toString().trim());
                current.setLength(0);
            }
        }
        if (!current.toString().isBlank()) {
            out.add(current.toString().trim());
        }
        return out;
    }
}
