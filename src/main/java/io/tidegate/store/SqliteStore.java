package io.tidegate.store;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.sqlite.SQLiteConfig;

/**
 * The embedded engine: one SQLite file in WAL mode. Several instances may open the same file
 * (tests use that to stand for replicas); SQLite's file lock and the busy timeout serialize
 * their writes. The schema is created or migrated on open ({@code PRAGMA user_version}).
 */
public final class SqliteStore implements Store {
    public static final String FILE_NAME = "tidegate.db";
    private static final int BUSY_TIMEOUT_MILLIS = 10_000;

    /** How often the WAL is copied back into the database file, off the commit path. */
    private static final Duration CHECKPOINT_EVERY = Duration.ofSeconds(1);

    private final Path file;
    private final SqliteDb db;
    private final SqliteCheckpointer checkpointer;
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

    private SqliteStore(Path file, SqliteDb db, SqliteCheckpointer checkpointer) {
        this.file = file;
        this.db = db;
        this.checkpointer = checkpointer;
        this.deliveries = new SqliteDeliveries(db);
        this.inbox = new SqliteInbox(db);
        this.outbox = new SqliteOutbox(db);
        this.audit = new SqliteAudit(db);
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

    public static SqliteStore open(Path file) {
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        // NORMAL is durable across process crashes in WAL mode; only power loss may drop the
        // last transactions.
        config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
        config.setBusyTimeout(BUSY_TIMEOUT_MILLIS);
        config.enforceForeignKeys(true);
        // Nothing reads generated keys; fetching them cost one extra query per INSERT.
        config.setGetGeneratedKeys(false);
        try {
            Connection c = config.createConnection("jdbc:sqlite:" + file.toAbsolutePath());
            try (Statement st = c.createStatement()) {
                // Checkpoints run on their own thread (SqliteCheckpointer); this is the backstop.
                st.execute("PRAGMA wal_autocheckpoint = " + SqliteCheckpointer.BACKSTOP_PAGES);
            }
            SqliteDb db = new SqliteDb(c, Optional.of(() -> openReader(file)));
            db.write("schema migration", SqliteSchema::migrate);
            return new SqliteStore(file, db, SqliteCheckpointer.start(file, CHECKPOINT_EVERY,
                    db::commits));
        } catch (SQLException e) {
            throw new StoreException("SQLite: cannot open " + file + ": " + e.getMessage(), e);
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
     * Opens an existing store file read-only for its audit and policy versions: nothing is
     * created or migrated, and a file of another schema version is refused naming both.
     */
    public static AuditArchive openAuditReadOnly(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new StoreException("no Tidegate store at " + file.toAbsolutePath()
                    + " (TIDEGATE_DATA_DIR): nothing was recorded there");
        }
        SQLiteConfig config = new SQLiteConfig();
        config.setReadOnly(true);
        config.setBusyTimeout(BUSY_TIMEOUT_MILLIS);
        try {
            Connection c = config.createConnection("jdbc:sqlite:" + file.toAbsolutePath());
            SqliteDb db = new SqliteDb(c);
            int version = db.read("read schema version", SqliteSchema::userVersion);
            if (version != SqliteSchema.version()) {
                db.close();
                throw new StoreException("the store " + file.toAbsolutePath() + " has schema "
                        + "version " + version + ", this Tidegate reads version "
                        + SqliteSchema.version() + ": " + (version < SqliteSchema.version()
                        ? "start this Tidegate's server on it once to migrate it"
                        : "use the newer Tidegate that wrote it"));
            }
            return new SqliteAuditArchive(new SqliteAudit(db), new SqlitePolicyVersions(db), db,
                    "sqlite " + file.toAbsolutePath() + " (read-only)");
        } catch (SQLException e) {
            throw new StoreException("SQLite: cannot open " + file + " read-only: "
                    + e.getMessage(), e);
        }
    }

    private record SqliteAuditArchive(AuditLog log, PolicyVersionStore policyVersions,
            SqliteDb db, String describe) implements AuditArchive {
        @Override
        public void close() {
            db.close();
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
        db.close();
    }

    /** For tests: the WAL checkpointer. */
    SqliteCheckpointer checkpointer() {
        return checkpointer;
    }

    /** Table names, for tests that check the schema. */
    static List<String> tables() {
        return List.of("deliveries", "inbox", "outbox", "audit", "cost_reports", "overrides",
                "locks", "deployments", "cost_report_history", "review_schedule", "freezes",
                "policy_versions", "review_board");
    }
}
