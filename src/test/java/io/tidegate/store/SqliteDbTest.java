package io.tidegate.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteCommitListener;
import org.sqlite.SQLiteConnection;

/**
 * The write transaction: one SQLite transaction per write, framed by kept statements; on
 * failure, nothing of it stays and the error that ended it is the one reported.
 */
class SqliteDbTest {
    @TempDir
    Path dir;
    SqliteDb db;

    Connection writer;

    @BeforeEach
    void open() throws Exception {
        writer = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("t.db"));
        db = new SqliteDb(writer);
        db.write("schema", x -> SqliteDb.update(x, "CREATE TABLE t (v BLOB NOT NULL)"));
    }

    @AfterEach
    void close() {
        db.close();
    }

    @Test
    void aWriteThatFillsTheDatabaseReportsTheFullDatabaseAndLeavesTheConnectionUsable() {
        // SQLite's own ceiling on the file's pages stands in for a full disk: SQLITE_FULL
        db.onWriter("limit", x -> pageLimit(x, 8));

        assertThatThrownBy(() -> db.write("add a row", x -> {
            try (PreparedStatement st = x.prepareStatement("INSERT INTO t (v) VALUES (?)")) {
                st.setBytes(1, new byte[64 * 1024]);
                return st.executeUpdate();
            }
        })).isInstanceOf(StoreException.class)
                .hasMessageStartingWith("SQLite: add a row failed: ")
                .hasMessageContaining("full")
                .hasMessageNotContaining("no transaction is active");

        db.onWriter("unlimit", x -> pageLimit(x, 1_000_000));
        db.write("add a small row", x -> {
            try (PreparedStatement st = x.prepareStatement("INSERT INTO t (v) VALUES (?)")) {
                st.setBytes(1, new byte[16]);
                return st.executeUpdate();
            }
        });
        int rows = db.read("count", x -> {
            try (var rs = x.createStatement().executeQuery("SELECT count(*) FROM t")) {
                rs.next();
                return rs.getInt(1);
            }
        });
        assertThat(rows).isEqualTo(1);
    }

    @Test
    void aWriteRefusedForLackOfSpaceIsRememberedForAWhileAndOtherFailuresAreNot() {
        assertThatThrownBy(() -> db.write("a bad statement", x -> SqliteDb.update(x,
                "INSERT INTO nowhere VALUES (1)"))).isInstanceOf(StoreException.class);
        assertThat(db.diskFullWithin(Duration.ofMinutes(1))).isEmpty();

        db.onWriter("limit", x -> pageLimit(x, 8));
        assertThatThrownBy(() -> db.write("add a row", x -> {
            try (PreparedStatement st = x.prepareStatement("INSERT INTO t (v) VALUES (?)")) {
                st.setBytes(1, new byte[64 * 1024]);
                return st.executeUpdate();
            }
        })).isInstanceOf(StoreException.class);

        assertThat(db.diskFullWithin(Duration.ofMinutes(1))).hasValueSatisfying(m -> assertThat(m)
                .startsWith("SQLite: add a row failed: ").contains("SQLITE_FULL"));
        assertThat(db.diskFullWithin(Duration.ZERO)).as("older than asked").isEmpty();
    }

    private static boolean pageLimit(Connection c, int pages) throws java.sql.SQLException {
        try (var st = c.createStatement()) {
            return st.execute("PRAGMA max_page_count = " + pages); // answers the new limit
        }
    }

    @Test
    void eachWriteCommitsItsRowsOnce() {
        // SQLite's commit hook: one commit per write, and each write's row is in the file
        AtomicInteger commits = new AtomicInteger();
        ((SQLiteConnection) writer).addCommitListener(new SQLiteCommitListener() {
            @Override
            public void onCommit() {
                commits.incrementAndGet();
            }

            @Override
            public void onRollback() {}
        });

        for (int i = 0; i < 3; i++) {
            db.write("add a row", x -> addRow(x, 16));
        }

        assertThat(commits).hasValue(3);
        assertThat(rows()).isEqualTo(3);
    }

    @Test
    void aFailedWriteLeavesNoneOfItsRowsAndTheNextWriteWorks() {
        assertThatThrownBy(() -> db.write("two rows, then a failure", x -> {
            addRow(x, 16);
            addRow(x, 16);
            throw new SQLException("the work failed");
        })).isInstanceOf(StoreException.class)
                .hasMessage("SQLite: two rows, then a failure failed: the work failed");

        db.write("add a row", x -> addRow(x, 16));
        assertThat(rows()).isEqualTo(1);
    }

    @Test
    void aWriteThatCannotTakeTheWriteLockFailsAndLeavesTheWriterUsable() throws Exception {
        // another process holding the file's write lock past the busy timeout
        try (Connection other = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("t.db"))) {
            db.onWriter("no wait", x -> x.createStatement().execute("PRAGMA busy_timeout = 0"));
            other.createStatement().execute("BEGIN IMMEDIATE");

            assertThatThrownBy(() -> db.write("add a row", x -> addRow(x, 16)))
                    .isInstanceOf(StoreException.class)
                    .hasMessageStartingWith("SQLite: add a row failed: ")
                    .hasMessageContaining("locked");

            other.createStatement().execute("ROLLBACK");
        }
        db.write("add a row", x -> addRow(x, 16));
        assertThat(rows()).isEqualTo(1);
    }

    @Test
    void aWriteWhoseCommitFailsIsRolledBackAndTheNextWriteWorks() {
        // a deferred foreign key is checked at COMMIT: the commit fails and the transaction
        // stays open until rolled back
        db.onWriter("foreign keys", x -> x.createStatement().execute("PRAGMA foreign_keys = ON"));
        db.write("schema", x -> {
            SqliteDb.update(x, "CREATE TABLE parent (id INTEGER PRIMARY KEY)");
            return SqliteDb.update(x, "CREATE TABLE child (parent INTEGER"
                    + " REFERENCES parent (id) DEFERRABLE INITIALLY DEFERRED)");
        });

        for (int i = 0; i < 2; i++) {
            assertThatThrownBy(() -> db.write("add an orphan", x -> {
                addRow(x, 16);
                return SqliteDb.update(x, "INSERT INTO child (parent) VALUES (42)");
            })).isInstanceOf(StoreException.class)
                    .hasMessageStartingWith("SQLite: add an orphan failed: ")
                    .hasMessageContaining("FOREIGN KEY");
        }

        db.write("add a row", x -> addRow(x, 16));
        assertThat(rows()).isEqualTo(1);
    }

    private static int addRow(Connection c, int bytes) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("INSERT INTO t (v) VALUES (?)")) {
            st.setBytes(1, new byte[bytes]);
            return st.executeUpdate();
        }
    }

    private int rows() {
        return db.read("count", x -> {
            try (var rs = x.createStatement().executeQuery("SELECT count(*) FROM t")) {
                rs.next();
                return rs.getInt(1);
            }
        });
    }
}
