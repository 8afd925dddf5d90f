package io.tidegate.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import io.tidegate.decision.CostChange;
import io.tidegate.decision.ProjectRef;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The contract on SQLite, plus what only the file engine does: WAL, migration, purge. */
class SqliteStoreTest extends StoreContract {
    @TempDir
    Path dir;

    @Override
    Store openStore() {
        return SqliteStore.openIn(dir);
    }

    private static OverrideRecord override(String environment, java.time.Instant at) {
        return new OverrideRecord("acme/infra", 7, environment,
                new io.tidegate.decision.Override("cto", "abc", at, "hotfix"),
                at.plus(Duration.ofHours(4)));
    }

    @Test
    void readsTogetherSeeOneCommitEvenWhenAnotherLandsBetweenThem() throws Exception {
        OverrideRecord first = override("production", t(10));
        OverrideRecord second = override("staging", t(20));
        store.overrides().add(first);
        ExecutorService other = Executors.newSingleThreadExecutor();
        try {
            List<List<OverrideRecord>> seen = store.readTogether(() -> {
                List<OverrideRecord> before = store.overrides().forPullRequest("acme/infra", 7);
                try {
                    other.submit(() -> store.overrides().add(second)).get(10, TimeUnit.SECONDS);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                return List.of(before, store.overrides().forPullRequest("acme/infra", 7));
            });
            // one read transaction: the second read sees what the first saw
            assertThat(seen.get(0)).containsExactly(first);
            assertThat(seen.get(1)).containsExactly(first);
        } finally {
            other.shutdownNow();
        }
        assertThat(store.overrides().forPullRequest("acme/infra", 7)).containsExactly(first,
                second);
    }

    @Test
    void aFailureInsideReadsTogetherGivesTheConnectionBack() {
        store.overrides().add(override("production", t(10)));
        // more failures than there are read connections: each one's connection came back
        for (int i = 0; i < SqliteDb.READERS + 2; i++) {
            assertThatThrownBy(() -> store.readTogether(() -> {
                store.overrides().forPullRequest("acme/infra", 7);
                throw new IllegalStateException("boom");
            })).hasMessage("boom");
        }
        assertThat(store.readTogether(() -> store.overrides().forPullRequest("acme/infra", 7)))
                .hasSize(1);
    }

    @Test
    void addToAClosedStoreFailsInsteadOfWaitingForTheGroupWriter() {
        Store other = SqliteStore.openIn(dir.resolve("other"));
        other.close();
        assertThatThrownBy(() -> other.inbox().add(event("e1", "k"), false))
                .isInstanceOf(StoreException.class).hasMessageContaining("closed");
        assertThatThrownBy(() -> other.acceptDelivery(event("e1", "k"), false))
                .isInstanceOf(StoreException.class);
    }

    @Test
    void everyAcceptedDeliveryIsOnDiskWhenAddReturns() throws Exception {
        Path file = dir.resolve("shared");
        Store writer = SqliteStore.openIn(file);
        Store reader = SqliteStore.openIn(file);
        try {
            for (int i = 0; i < 20; i++) {
                assertThat(writer.acceptDelivery(event("d-" + i, "k"), false)).isTrue();
                // Another connection sees it at once: the add returned after its commit.
                assertThat(reader.inbox().status("d-" + i)).isPresent();
            }
        } finally {
            writer.close();
            reader.close();
        }
    }

    @Test
    void anAcceptedDeliveryIsMarkedByItsInboxRowAlone() throws Exception {
        assertThat(store.acceptDelivery(event("g-1", "acme/infra#42"), true)).isTrue();
        // one row per intake: no delivery row beside the inbox's (issue 19)
        assertThat(rows("SELECT count(*) FROM deliveries")).isZero();
        assertThat(store.deliveries().markSeen("g-1", T0)).isFalse();
        assertThat(store.acceptDelivery(event("g-1", "acme/infra#42"), true)).isFalse();
        // an id only marked, never taken into the inbox, is recorded as before
        assertThat(store.deliveries().markSeen("probe-1", T0)).isTrue();
        assertThat(rows("SELECT count(*) FROM deliveries")).isEqualTo(1);
    }

    private long rows(String countQuery) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(
                SqliteStore.FILE_NAME)); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(countQuery)) {
            return rs.getLong(1);
        }
    }

    @Test
    void fileIsInWalModeWithTheCurrentSchemaVersion() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(
                SqliteStore.FILE_NAME)); Statement st = c.createStatement()) {
            try (ResultSet rs = st.executeQuery("PRAGMA journal_mode")) {
                assertThat(rs.getString(1)).isEqualTo("wal");
            }
            try (ResultSet rs = st.executeQuery("PRAGMA user_version")) {
                assertThat(rs.getInt(1)).isEqualTo(SqliteSchema.version());
            }
        }
    }

    @Test
    void walIsCopiedBackByTheCheckpointerNotInsideACommit() throws Exception {
        SqliteStore sqlite = (SqliteStore) store;
        for (int i = 0; i < 200; i++) {
            sqlite.acceptDelivery(event("w-" + i, "k" + i), true);
        }
        // an accepted delivery reaches the inbox table through the journal: wait for the moves,
        // or the checkpoint and the count below may run before the last of them (it did in CI)
        ((SqliteInbox) sqlite.inbox()).awaitAdds();
        Path wal = dir.resolve(SqliteStore.FILE_NAME + "-wal");
        assertThat(Files.size(wal)).isPositive();
        // Every frame written so far is copied into the database file by one passive checkpoint.
        assertThat(sqlite.checkpointer().checkpoint()).isZero();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(
                SqliteStore.FILE_NAME)); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT count(*) FROM inbox")) {
            assertThat(rs.getInt(1)).isEqualTo(200);
        }
    }

    @Test
    void theWalIsSyncedInTheBackgroundOnlyWhileCommitsArrive() throws Exception {
        SqliteStore sqlite = (SqliteStore) store;
        SqliteCheckpointer checkpointer = sqlite.checkpointer();
        long before = checkpointer.flushes();
        sqlite.acceptDelivery(event("f-1", "k"), true);
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (checkpointer.flushes() == before && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(checkpointer.flushes()).as("a flush after the commit").isGreaterThan(before);
        // Idle: ten flush periods pass without a sync (a sync costs the disk a cache flush).
        // The flush above may have been for the store's opening commit, so catch up first.
        checkpointer.flushWal();
        long settled = checkpointer.flushes();
        Thread.sleep(SqliteCheckpointer.FLUSH_EVERY.toMillis() * 10);
        checkpointer.flushWal();
        assertThat(checkpointer.flushes()).isEqualTo(settled);
    }

    @Test
    void aWalFlushAfterTheStoreClosedIsANoOp() {
        SqliteStore other = SqliteStore.openIn(dir.resolve("flush-closed"));
        other.acceptDelivery(event("c-1", "k"), true);
        other.close();
        long flushes = other.checkpointer().flushes();
        // the WAL file went with the last connection: no error, no sync, no file created
        other.checkpointer().flushWal();
        assertThat(other.checkpointer().flushes()).isEqualTo(flushes);
        assertThat(dir.resolve("flush-closed").resolve(SqliteStore.FILE_NAME + "-wal"))
                .doesNotExist();
    }

    @Test
    void aCheckpointOfAClosedStoreFailsQuietlyAndTheBackstopRemains() throws Exception {
        SqliteStore other = SqliteStore.openIn(dir.resolve("closed"));
        other.close();
        assertThat(other.checkpointer().checkpoint()).isEqualTo(-1);
    }

    @Test
    void upgradeFromVersionOneStartsTheCostHistoryWithTheCurrentReports() throws Exception {
        CostReport current = report("abc", new ProjectRef("network", "net", "default"),
                new CostChange(Optional.of(new BigDecimal("40.00")), Optional.empty()), T0);
        store.costReports().put(current);
        store.close();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(
                SqliteStore.FILE_NAME)); Statement st = c.createStatement()) {
            st.execute("DROP TABLE cost_report_history");
            st.execute("DROP TABLE review_schedule"); // later migrations run again too
            st.execute("DROP TABLE freezes");
            st.execute("DROP INDEX cost_reports_recorded");
            st.execute("DROP TABLE policy_versions");
            createLegacyAudit(st, false); // as version 1 had it in this file
            st.execute("DROP TABLE review_board");
            st.execute("ALTER TABLE cost_reports DROP COLUMN currency");
            st.execute("ALTER TABLE deployments DROP COLUMN tree_sha");
            st.execute("PRAGMA user_version = 1");
        }
        store = SqliteStore.openIn(dir);
        assertThat(store.costReports().historyForCommit("acme/infra", 7, "abc"))
                .containsExactly(current);
    }

    @Test
    void upgradeFromVersionEightKeepsTheInboxAndItsOrderWithPendingOnlyIndexesAndNoAutoincrement()
            throws Exception {
        store.inbox().add(event("first", "k1"), false);
        store.inbox().add(event("second", "k1"), false);
        store.inbox().add(event("other", "k2"), false);
        InboxClaim done = store.inbox().claim("w", T0, LEASE).orElseThrow();
        store.inbox().markProcessed(done, T0);
        store.close();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(
                SqliteStore.FILE_NAME)); Statement st = c.createStatement()) {
            // the inbox as version 8 made it, whose sqlite_sequence remembers deleted events
            st.execute("CREATE TABLE inbox_8 AS SELECT * FROM inbox");
            st.execute("DROP TABLE inbox");
            st.execute(SQL_INBOX_8);
            st.execute("INSERT INTO inbox SELECT * FROM inbox_8");
            st.execute("DROP TABLE inbox_8");
            st.execute("CREATE INDEX inbox_pending ON inbox (state, seq)");
            st.execute("CREATE INDEX inbox_key ON inbox (ordering_key, state, seq)");
            st.execute("UPDATE sqlite_sequence SET seq = 1000 WHERE name = 'inbox'");
            createLegacyAudit(st, true);
            st.execute("PRAGMA user_version = 8");
        }

        store = SqliteStore.openIn(dir);
        store.inbox().add(event("third", "k1"), false);

        assertThat(store.inbox().status(done.event().id())).map(InboxStatus::state)
                .contains(InboxState.PROCESSED);
        List<String> order = new java.util.ArrayList<>();
        for (Optional<InboxClaim> c = store.inbox().claim("w", T0, LEASE); c.isPresent();
                c = store.inbox().claim("w", T0, LEASE)) {
            order.add(c.get().event().id());
            store.inbox().markProcessed(c.get(), T0);
        }
        assertThat(order).containsExactly("second", "other", "third");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(
                SqliteStore.FILE_NAME)); Statement st = c.createStatement()) {
            try (ResultSet rs = st.executeQuery(
                    "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'inbox'")) {
                assertThat(rs.getString(1)).doesNotContainIgnoringCase("autoincrement");
            }
            try (ResultSet rs = st.executeQuery("SELECT name, sql FROM sqlite_master"
                    + " WHERE type = 'index' AND tbl_name = 'inbox' AND sql IS NOT NULL")) {
                java.util.Map<String, String> indexes = new java.util.TreeMap<>();
                while (rs.next()) {
                    indexes.put(rs.getString(1), rs.getString(2));
                }
                assertThat(indexes).containsOnlyKeys("inbox_key", "inbox_pending")
                        .allSatisfy((name, sql) -> assertThat(sql)
                                .endsWith("WHERE state = 'PENDING'"));
            }
            try (ResultSet rs = st.executeQuery(
                    "SELECT count(*) FROM sqlite_sequence WHERE name = 'inbox'")) {
                assertThat(rs.getInt(1)).isZero();
            }
            try (ResultSet rs = st.executeQuery("SELECT id FROM inbox ORDER BY seq")) {
                List<String> ids = new java.util.ArrayList<>();
                while (rs.next()) {
                    ids.add(rs.getString(1));
                }
                assertThat(ids).containsExactly("first", "second", "other", "third");
            }
        }
    }

    /**
     * The audit table as versions 1 to 9 kept it in the main file, with its rows appended
     * later by the test; version 1 had neither time index (they came with 5 and 6).
     */
    private static void createLegacyAudit(Statement st, boolean timeIndexes) throws Exception {
        st.execute("""
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
                    facts_json TEXT NOT NULL)""");
        st.execute("CREATE INDEX audit_pr ON audit (repo, pr, time)");
        st.execute("CREATE INDEX audit_repo ON audit (repo, time)");
        st.execute("CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit"
                + " BEGIN SELECT RAISE(ABORT, 'audit records are append-only'); END");
        if (timeIndexes) {
            st.execute("CREATE INDEX audit_time ON audit (time, seq)");
            st.execute("CREATE INDEX audit_env_time ON audit (environment, time, seq)");
        }
    }

    /** A version-9 store: the audit back in the main file with {@code records}, no audit file. */
    private void makeVersionNine(List<AuditRecord> records) throws Exception {
        store.close();
        Files.delete(dir.resolve(SqliteStore.AUDIT_FILE_NAME));
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(
                SqliteStore.FILE_NAME)); Statement st = c.createStatement()) {
            createLegacyAudit(st, true);
            try (var insert = c.prepareStatement("INSERT INTO audit (time, repo, pr, head_sha,"
                    + " project, environment, command, actor, decision, reason_codes,"
                    + " policy_hash, facts_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                for (AuditRecord r : records) {
                    Object[] values = {r.time().toEpochMilli(), r.repo(), r.pr(), r.headSha(),
                        r.project(), r.environment(), r.command(), r.actor(), r.decision(),
                        "[]", r.policyHash(), r.factsJson()};
                    for (int i = 0; i < values.length; i++) {
                        insert.setObject(i + 1, values[i]);
                    }
                    insert.executeUpdate();
                }
            }
            st.execute("PRAGMA user_version = 9");
        }
    }

    private static AuditRecord auditRecord(int pr, String decision) {
        return new AuditRecord(T0.plusSeconds(pr), "acme/infra", pr, "abc", "net", "production",
                "apply", "lead1", decision, List.of(), "sha256:p", "{}");
    }

    @Test
    void upgradeFromVersionNineMovesTheAuditIntoItsOwnFileKeepingEachRecordsId()
            throws Exception {
        makeVersionNine(List.of(auditRecord(1, "deny"), auditRecord(2, "allow")));

        store = SqliteStore.openIn(dir);
        store.audit().append(auditRecord(3, "deny"));

        assertThat(store.auditLog().page(new AuditQuery(Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty()), 10).entries())
                .extracting(e -> e.id() + ":" + e.record().pr() + ":" + e.record().decision())
                .containsExactly("1:1:deny", "2:2:allow", "3:3:deny");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(
                SqliteStore.FILE_NAME)); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT count(*) FROM sqlite_master"
                        + " WHERE tbl_name = 'audit'")) {
            assertThat(rs.getInt(1)).as("nothing of the audit left in the main file").isZero();
        }
    }

    @Test
    void anUpgradeStoppedBetweenTheTwoFilesCommitsCopiesNoRecordTwice() throws Exception {
        store.audit().append(auditRecord(1, "deny")); // as if the copy had committed
        store.close();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(
                SqliteStore.FILE_NAME)); Statement st = c.createStatement()) {
            createLegacyAudit(st, true); // and the main file's drop had not
            st.execute("INSERT INTO audit (seq, time, repo, pr, head_sha, project,"
                    + " environment, command, actor, decision, reason_codes, policy_hash,"
                    + " facts_json) VALUES (1, 1000, 'acme/infra', 1, 'abc', 'net',"
                    + " 'production', 'apply', 'lead1', 'deny', '[]', 'sha256:p', '{}')");
            st.execute("PRAGMA user_version = 9");
        }

        store = SqliteStore.openIn(dir);

        assertThat(store.audit().forRepository("acme/infra", 10)).hasSize(1);
    }

    @Test
    void aStoreWhoseAuditFileIsMissingIsRefusedNamingIt() throws Exception {
        store.close();
        Files.delete(dir.resolve(SqliteStore.AUDIT_FILE_NAME));

        assertThatThrownBy(() -> SqliteStore.openIn(dir)).isInstanceOf(StoreException.class)
                .hasMessageContaining("keeps its audit in tidegate-audit.db beside it, which is"
                        + " missing: restore both files from the same backup");
        assertThat(dir.resolve(SqliteStore.AUDIT_FILE_NAME)).doesNotExist();
        store = SqliteStore.openIn(Files.createDirectories(dir.resolve("fresh")));
    }

    @Test
    void theReadOnlyArchiveReadsTheAuditFileAndRefusesAStoreWithoutIt() throws Exception {
        store.audit().append(auditRecord(1, "deny"));
        store.close();
        try (AuditArchive archive = SqliteStore.openAuditReadOnly(
                dir.resolve(SqliteStore.FILE_NAME))) {
            assertThat(archive.log().newest(new AuditQuery(Optional.empty(), Optional.empty(),
                    Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                    Optional.empty()), 10).entries()).extracting(e -> e.record().pr())
                    .containsExactly(1);
            assertThat(archive.describe()).endsWith("tidegate.db and tidegate-audit.db"
                    + " (read-only)");
        }
        Files.delete(dir.resolve(SqliteStore.AUDIT_FILE_NAME));

        assertThatThrownBy(() -> SqliteStore.openAuditReadOnly(dir.resolve(
                SqliteStore.FILE_NAME))).isInstanceOf(StoreException.class)
                .hasMessageContaining("keeps its audit in tidegate-audit.db beside it, which is"
                        + " missing");
        assertThat(dir.resolve(SqliteStore.AUDIT_FILE_NAME)).as("nothing created")
                .doesNotExist();
        store = SqliteStore.openIn(Files.createDirectories(dir.resolve("fresh")));
    }

    @Test
    void theAuditFileSitsBesideTheStoreFile() {
        assertThat(SqliteStore.auditFileOf(Path.of("/data/tidegate.db")))
                .isEqualTo(Path.of("/data/tidegate-audit.db"));
        assertThat(SqliteStore.auditFileOf(Path.of("/data/store")))
                .isEqualTo(Path.of("/data/store-audit.db"));
    }

    /** The inbox table of schema versions 1 to 8. */
    private static final String SQL_INBOX_8 = """
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
                finished_at INTEGER)""";

    @Test
    void racingAddsForOneKeyLeaveExactlyTheLastOnePendingWhateverTheBatches() throws Exception {
        int threads = 16;
        int each = 25;
        java.util.concurrent.ExecutorService pool =
                java.util.concurrent.Executors.newFixedThreadPool(threads);
        java.util.List<java.util.concurrent.Future<?>> running = new java.util.ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            running.add(pool.submit(() -> {
                for (int i = 0; i < each; i++) {
                    store.acceptDelivery(event("r-" + thread + "-" + i, "acme/infra#42"), true);
                }
            }));
        }
        for (java.util.concurrent.Future<?> f : running) {
            f.get();
        }
        pool.shutdown();
        java.util.List<String> pending = new java.util.ArrayList<>();
        for (int t = 0; t < threads; t++) {
            for (int i = 0; i < each; i++) {
                InboxStatus s = store.inbox().status("r-" + t + "-" + i).orElseThrow();
                if (s.state() == InboxState.PENDING) {
                    pending.add(s.id());
                } else {
                    assertThat(s.state()).isEqualTo(InboxState.SUPERSEDED);
                }
            }
        }
        assertThat(pending).hasSize(1);
        // The one left is the newest: the head a worker claims is that very event.
        assertThat(store.inbox().claim("w", T0, java.time.Duration.ofMinutes(1)))
                .map(c -> c.event().id()).contains(pending.get(0));
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(
                SqliteStore.FILE_NAME)); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT id FROM inbox ORDER BY seq DESC LIMIT 1")) {
            assertThat(rs.getString(1)).isEqualTo(pending.get(0));
        }
    }

    @Test
    void reopeningKeepsDataAndDoesNotMigrateTwice() {
        store.locks().acquire("production", "pr7", T0, LockStore.DEFAULT_TTL);
        store.close();
        store = SqliteStore.openIn(dir);
        assertThat(store.locks().current("production", T0)).isPresent();
    }

    @Test
    void auditRowsCannotBeUpdatedOrDeleted() throws Exception {
        store.audit().append(audit(T0, 7, "deny"));
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(
                SqliteStore.AUDIT_FILE_NAME)); Statement st = c.createStatement()) {
            assertThatThrownBy(() -> st.executeUpdate("UPDATE audit SET decision = 'allow'"))
                    .hasMessageContaining("audit records are append-only");
            assertThatThrownBy(() -> st.executeUpdate("DELETE FROM audit"))
                    .hasMessageContaining("audit records are append-only");
        }
    }

    @Test
    void purgeDeletesDeploymentsOlderThanNinetyDaysAndExpiredDeliveries() {
        store.deployments().save(deployment("old", "production", "acme/infra", T0));
        store.deployments().save(deployment("recent", "production", "acme/infra",
                T0.plus(Duration.ofDays(10))));
        store.deliveries().markSeen("d1", T0);
        store.audit().append(audit(T0, 7, "deny"));

        int purged = store.purgeExpired(T0.plus(Duration.ofDays(90)));

        assertThat(purged).isEqualTo(2);
        assertThat(store.deployments().get("old")).isEmpty();
        assertThat(store.deployments().get("recent")).isPresent();
        assertThat(store.deliveries().markSeen("d1", T0.plus(Duration.ofDays(90)))).isTrue();
        assertThat(store.audit().forRepository("acme/infra", 10)).hasSize(1);
    }

    @Test
    void purgeDeletesFinishedWorkAfterAWeekButNeverPendingWork() {
        store.inbox().add(event("done", "k1"), false);
        store.inbox().add(event("waiting", "k2"), false);
        InboxClaim c = store.inbox().claim("w", T0, LEASE).orElseThrow();
        store.inbox().markProcessed(c, T0);
        store.purgeExpired(T0.plus(Duration.ofDays(8)));
        assertThat(store.inbox().status("done")).isEmpty();
        assertThat(store.inbox().status("waiting")).map(InboxStatus::state)
                .isEqualTo(Optional.of(InboxState.PENDING));
    }
}
