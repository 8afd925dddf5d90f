package io.tidegate.store;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.sqlite.SQLiteConfig;

/**
 * The embedded engine: two SQLite files in WAL mode, {@code tidegate.db} and, beside it, the
 * audit's {@code tidegate-audit.db} ({@link #auditFileOf}). Several instances may open the same
 * files (tests use that to stand for replicas); SQLite's file lock and the busy timeout
 * serialize their writes. Each file's schema is created or migrated on open
 * ({@code PRAGMA user_version}).
 *
 * <p>Why the audit has a file of its own (issue 19): in WAL mode a reader drops its page cache
 * whenever it begins after a commit to its file, and every gate decision commits an audit row.
 * In one file, each decision's reads (cost reports, overrides, locks, freezes) started cold;
 * measured inside the server at 16 gate connections, the first of them took 68-88 µs of CPU
 * with the audit in the same file and 31-35 µs with it in its own. The two files are backed up
 * together (README); a main file of version 10 or later without its audit file is refused.
 */
public final class SqliteStore implements Store {
    public static final String FILE_NAME = "tidegate.db";
    /** The audit's file beside {@link #FILE_NAME}. */
    public static final String AUDIT_FILE_NAME = "tidegate-audit.db";
    private static final int BUSY_TIMEOUT_MILLIS = 10_000;

    /** How often the WAL is copied back into the database file, off the commit path. */
    private static final Duration CHECKPOINT_EVERY = Duration.ofSeconds(1);

    private final Path file;
    private final SqliteDb db;
    private final SqliteDb auditDb;
    private final SqliteCheckpointer checkpointer;
    private final SqliteCheckpointer auditCheckpointer;
    private final SqliteDeliveries deliveries;
    private final SqliteInbox inbox;
    private final SqliteOutbox outbox;
    private final SqliteAudit audit;
    private final SqliteCostReports costReports;
    private final SqliteOverrides overrides;
    private final SqliteLocks locks;
    private final SqliteDeployments deployments;
    private final SqliteReviewSchedule schedule;
    private final SqliteFreezes freezes;
    private final SqlitePolicyVersions policyVersions;
    private final SqliteReviewBoard reviewBoard;

    private SqliteStore(Path file, SqliteDb db, SqliteDb auditDb,
            SqliteCheckpointer checkpointer, SqliteCheckpointer auditCheckpointer) {
        this.file = file;
        this.db = db;
        this.auditDb = auditDb;
        this.checkpointer = checkpointer;
        this.auditCheckpointer = auditCheckpointer;
        this.inbox = new SqliteInbox(db, file);
        this.deliveries = new SqliteDeliveries(db, inbox);
        this.outbox = new SqliteOutbox(db);
        this.audit = new SqliteAudit(auditDb);
        this.costReports = new SqliteCostReports(db);
        this.overrides = new SqliteOverrides(db);
        this.locks = new SqliteLocks(db);
        this.deployments = new SqliteDeployments(db);
        this.schedule = new SqliteReviewSchedule(db);
        this.freezes = new SqliteFreezes(db);
        this.policyVersions = new SqlitePolicyVersions(db);
        this.reviewBoard = new SqliteReviewBoard(db);
    }

    /** Opens {@code tidegate.db} in {@code dataDir}, creating the directory and schema. */
    public static SqliteStore openIn(Path dataDir) {
        try {
            Files.createDirectories(dataDir);
        } catch (java.io.IOException e) {
            throw new StoreException("cannot create data directory " + dataDir + ": " + e, e);
        }
        SqliteNativeLibrary.useCopyIn(dataDir); // [perf] not a new extraction at every start
        return open(dataDir.resolve(FILE_NAME));
    }

    /**
     * Opens {@code file} and its audit file ({@link #auditFileOf}), creating or migrating both.
     * A main file from before version 10 has its audit rows moved into the audit file.
     */
    public static SqliteStore open(Path file) {
        Path auditFile = auditFileOf(file);
        List<AutoCloseable> opened = new java.util.ArrayList<>();
        try {
            Connection c = openWriter(file);
            SqliteDb db = new SqliteDb(c, Optional.of(() -> openReader(file)));
            opened.add(db::close);
            int version = SqliteSchema.userVersion(c);
            if (version >= SqliteSchema.AUDIT_IN_OWN_FILE && !Files.exists(auditFile)) {
                throw auditFileMissing(file, auditFile);
            }
            SqliteDb auditDb = new SqliteDb(openWriter(auditFile),
                    Optional.of(() -> openReader(auditFile)));
            opened.add(auditDb::close);
            auditDb.write("audit schema migration", SqliteSchema::migrateAudit);
            migrate(c, db, auditFile, version);
            SqliteCheckpointer checkpointer = SqliteCheckpointer.start(file, "sqlite",
                    CHECKPOINT_EVERY, db::commits);
            opened.add(checkpointer);
            return new SqliteStore(file, db, auditDb, checkpointer, SqliteCheckpointer.start(
                    auditFile, "sqlite-audit", CHECKPOINT_EVERY, auditDb::commits));
        } catch (SQLException | RuntimeException e) {
            java.util.Collections.reverse(opened);
            opened.forEach(SqliteStore::closeQuietly);
            if (e instanceof SQLException sql) {
                throw new StoreException("SQLite: cannot open " + file + ": " + sql.getMessage(),
                        sql);
            }
            throw (RuntimeException) e;
        }
    }

    /** Refused rather than started with an empty audit: the history would be lost silently. */
    private static StoreException auditFileMissing(Path file, Path auditFile) {
        return new StoreException("the store " + file.toAbsolutePath() + " keeps its audit in "
                + auditFile.getFileName() + " beside it, which is missing: restore both files "
                + "from the same backup");
    }

    /**
     * The audit's file for the store file {@code file}: {@code tidegate.db} gives
     * {@code tidegate-audit.db} in the same directory.
     */
    public static Path auditFileOf(Path file) {
        String name = file.getFileName().toString();
        String stem = name.endsWith(".db") ? name.substring(0, name.length() - 3) : name;
        return file.resolveSibling(stem + "-audit.db");
    }

    /** The writer's connection: WAL, synchronous NORMAL, SQLite's checkpoint as a backstop. */
    private static Connection openWriter(Path file) throws SQLException {
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        // NORMAL is durable across process crashes in WAL mode; only power loss may drop the
        // last transactions.
        config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
        config.setBusyTimeout(BUSY_TIMEOUT_MILLIS);
        config.enforceForeignKeys(true);
        // Nothing reads generated keys; fetching them cost one extra query per INSERT.
        config.setGetGeneratedKeys(false);
        Connection c = config.createConnection("jdbc:sqlite:" + file.toAbsolutePath());
        try (Statement st = c.createStatement()) {
            // Checkpoints run on their own thread (SqliteCheckpointer); this is the backstop.
            st.execute("PRAGMA wal_autocheckpoint = " + SqliteCheckpointer.BACKSTOP_PAGES);
        } catch (SQLException e) {
            closeQuietly(c);
            throw e;
        }
        return c;
    }

    /**
     * Runs the main file's migrations. From a version before 10, with the audit file attached
     * for migration 10 (which moves the audit rows into it) and detached after: ATTACH and
     * DETACH cannot run inside the migration's transaction.
     */
    private static void migrate(Connection c, SqliteDb db, Path auditFile, int version)
            throws SQLException {
        boolean attach = version < SqliteSchema.AUDIT_IN_OWN_FILE;
        if (attach) {
            try (PreparedStatement st = c.prepareStatement("ATTACH DATABASE ? AS "
                    + SqliteSchema.AUDIT_FILE_SCHEMA)) {
                st.setString(1, auditFile.toAbsolutePath().toString());
                st.execute();
            }
        }
        try {
            db.write("schema migration", SqliteSchema::migrate);
        } finally {
            if (attach) {
                try (Statement st = c.createStatement()) {
                    st.execute("DETACH DATABASE " + SqliteSchema.AUDIT_FILE_SCHEMA);
                }
            }
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // the open already failed; that failure is the one reported
        }
    }

    /** A read connection beside the writer (WAL: it reads the last commit, never blocks it). */
    private static Connection openReader(Path file) throws SQLException {
        SQLiteConfig config = new SQLiteConfig();
        config.setBusyTimeout(BUSY_TIMEOUT_MILLIS);
        Connection c = config.createConnection("jdbc:sqlite:" + file.toAbsolutePath());
        try (Statement st = c.createStatement()) {
            st.execute("PRAGMA query_only = 1"); // reads only: a write here would be a bug
            // 1 MB of page cache each, not SQLite's 2 MB: the OS caches the file for all of them
            st.execute("PRAGMA cache_size = -1024");
        }
        return c;
    }

    @Override
    public DeliveryStore deliveries() {
        return deliveries;
    }

    @Override
    public InboxStore inbox() {
        return inbox;
    }

    @Override
    public OutboxStore outbox() {
        return outbox;
    }

    @Override
    public AuditStore audit() {
        return audit;
    }

    @Override
    public CostReportStore costReports() {
        return costReports;
    }

    @Override
    public FreezeStore freezes() {
        return freezes;
    }

    @Override
    public OverrideStore overrides() {
        return overrides;
    }

    @Override
    public LockStore locks() {
        return locks;
    }

    @Override
    public DeploymentStore deployments() {
        return deployments;
    }

    @Override
    public ReviewSchedule schedule() {
        return schedule;
    }

    @Override
    public AuditLog auditLog() {
        return audit;
    }

    @Override
    public PolicyVersionStore policyVersions() {
        return policyVersions;
    }

    /**
     * Opens an existing store read-only for its audit (from its audit file) and policy versions:
     * nothing is created or migrated, and a file of another schema version is refused naming
     * both.
     */
    public static AuditArchive openAuditReadOnly(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new StoreException("no Tidegate store at " + file.toAbsolutePath()
                    + " (TIDEGATE_DATA_DIR): nothing was recorded there");
        }
        SqliteDb db = openReadOnly(file, SqliteSchema.version(), "store");
        Path auditFile = auditFileOf(file);
        try {
            if (!Files.isRegularFile(auditFile)) {
                throw auditFileMissing(file, auditFile);
            }
            SqliteDb auditDb = openReadOnly(auditFile, SqliteSchema.auditVersion(),
                    "audit file");
            return new SqliteAuditArchive(new SqliteAudit(auditDb), new SqlitePolicyVersions(db),
                    List.of(auditDb, db), "sqlite " + file.toAbsolutePath() + " and "
                    + auditFile.getFileName() + " (read-only)");
        } catch (RuntimeException e) {
            db.close();
            throw e;
        }
    }

    /** One read-only connection to {@code file}, whose schema must be {@code version}. */
    private static SqliteDb openReadOnly(Path file, int version, String kind) {
        SQLiteConfig config = new SQLiteConfig();
        config.setReadOnly(true);
        config.setBusyTimeout(BUSY_TIMEOUT_MILLIS);
        try {
            SqliteDb db = new SqliteDb(config.createConnection("jdbc:sqlite:"
                    + file.toAbsolutePath()));
            int found = db.read("read schema version", SqliteSchema::userVersion);
            if (found != version) {
                db.close();
                throw new StoreException("the " + kind + " " + file.toAbsolutePath()
                        + " has schema version " + found + ", this Tidegate reads version "
                        + version + ": " + (found < version
                        ? "start this Tidegate's server on it once to migrate it"
                        : "use the newer Tidegate that wrote it"));
            }
            return db;
        } catch (SQLException e) {
            throw new StoreException("SQLite: cannot open " + file + " read-only: "
                    + e.getMessage(), e);
        }
    }

    private record SqliteAuditArchive(AuditLog log, PolicyVersionStore policyVersions,
            List<SqliteDb> dbs, String describe) implements AuditArchive {
        @Override
        public void close() {
            dbs.forEach(SqliteDb::close);
        }
    }


    @Override
    public ReviewBoardStore reviewBoard() {
        return reviewBoard;
    }

    @Override
    public DeploymentFigures deploymentFigures() {
        return new SqliteDeploymentFigures(db);
    }

    /**
     * One row: the inbox's, whose id is the delivery id. The add alone decides whether a delivery
     * is new ({@code ON CONFLICT (id) DO NOTHING}), and the row outlives the delivery's retention
     * (a finished event is purged {@link Retention#FINISHED_WORK} after it finished, never before
     * it arrived), so {@link SqliteDeliveries#markSeen} reads it instead of a second row written
     * here. Issue 19: the delivery row, keyed by a random id like the inbox's own, dirtied a
     * second random page of a second index per intake; without it the WAL grows half as fast,
     * and the WAL sync SQLite makes at the first commit after each checkpoint holds that commit
     * for less.
     */
    @Override
    public <T> T readTogether(java.util.function.Supplier<T> reads) {
        return db.readTogether("read together", reads);
    }

    @Override
    public boolean acceptDelivery(InboxEvent event, boolean supersedeQueued) {
        return inbox.add(event, supersedeQueued);
    }

    @Override
    public void ping() {
        db.read("ping", c -> {
            try (Statement st = c.createStatement()) {
                st.executeQuery("SELECT count(*) FROM locks").close();
            }
            return null;
        });
        auditDb.read("ping the audit file", c -> {
            try (Statement st = c.createStatement()) {
                st.executeQuery("SELECT max(seq) FROM audit").close();
            }
            return null;
        });
    }

    @Override
    public Optional<String> writesRefusedWithin(Duration within) {
        return db.diskFullWithin(within).or(() -> inbox.journalFullWithin(within))
                .or(() -> auditDb.diskFullWithin(within));
    }

    @Override
    public int purgeExpired(Instant now) {
        Instant finished = now.minus(Retention.FINISHED_WORK);
        return db.write("purge", c -> {
            int n = 0;
            n += SqliteDb.update(c, "DELETE FROM deliveries WHERE expires_at <= ?", now);
            n += SqliteDb.update(c, "DELETE FROM deployments WHERE started_at <= ?",
                    now.minus(Retention.DEPLOYMENTS));
            n += SqliteDb.update(c, "DELETE FROM inbox WHERE state <> 'PENDING' "
                    + "AND finished_at <= ?", finished);
            n += SqliteDb.update(c, "DELETE FROM outbox WHERE state <> 'PENDING' "
                    + "AND finished_at <= ?", finished);
            n += SqliteDb.update(c, "DELETE FROM overrides WHERE expires_at <= ?",
                    now.minus(Retention.EXPIRED_OVERRIDES));
            n += SqliteDb.update(c, "DELETE FROM locks WHERE expires_at <= ?", now);
            return n;
        });
    }

    @Override
    public String describe() {
        return "sqlite " + file.toAbsolutePath();
    }

    @Override
    public void close() {
        inbox.close();
        audit.close();
        checkpointer.close();
        auditCheckpointer.close();
        auditDb.close();
        db.close();
    }

    /** For tests: redeliveries the inbox's journal took and the inbox then dropped. */
    long inboxLateDuplicates() {
        return inbox.lateDuplicates();
    }

    /** For tests: the WAL checkpointer. */
    SqliteCheckpointer checkpointer() {
        return checkpointer;
    }

    /** The main file's table names, for tests that check the schema. */
    static List<String> tables() {
        return List.of("deliveries", "inbox", "outbox", "cost_reports", "overrides",
                "locks", "deployments", "cost_report_history", "review_schedule", "freezes",
                "policy_versions", "review_board");
    }
}
