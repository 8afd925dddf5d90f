package io.tidegate.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The write transaction's failure path: the error that ended it is the one reported. */
class SqliteDbTest {
    @TempDir
    Path dir;
    SqliteDb db;

    @BeforeEach
    void open() throws Exception {
        Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("t.db"));
        db = new SqliteDb(c);
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

    private static boolean pageLimit(Connection c, int pages) throws java.sql.SQLException {
        try (var st = c.createStatement()) {
            return st.execute("PRAGMA max_page_count = " + pages); // answers the new limit
        }
    }
}
