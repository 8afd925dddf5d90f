package io.tidegate.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Prepared statements are kept per connection, reset and never kept after a failed use. */
class SqliteStatementsTest {
    private static final String SELECT = "SELECT v FROM t ORDER BY v";

    @TempDir
    Path dir;
    SqliteDb db;

    @BeforeEach
    void open() throws Exception {
        db = new SqliteDb(connect(), Optional.of(this::connect));
        db.write("schema", c -> {
            SqliteDb.update(c, "CREATE TABLE t (v INTEGER NOT NULL)");
            return SqliteDb.update(c, "INSERT INTO t (v) VALUES (1), (2)");
        });
    }

    private Connection connect() throws SQLException {
        Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("t.db"));
        try (Statement st = c.createStatement()) {
            st.execute("PRAGMA journal_mode=WAL");
        }
        return c;
    }

    @AfterEach
    void close() {
        db.close();
    }

    /** The statement a query of {@code sql} ran on (its rows are read and dropped). */
    private Statement statementOf(String sql) {
        return db.read("q", c -> SqliteDb.query(c, sql, ResultSet::getStatement)).get(0);
    }

    @Test
    void aTextIsPreparedOncePerConnectionAndItsStatementReused() {
        Statement first = statementOf(SELECT);
        assertThat(statementOf(SELECT)).isSameAs(first);
        assertThat(statementOf("SELECT v FROM t WHERE v > 1")).isNotSameAs(first);
    }

    @Test
    void aKeptStatementAnswersWithTheLatestCommitAndItsNewParameters() {
        String byValue = "SELECT v FROM t WHERE v >= ? ORDER BY v";
        List<Integer> before = db.read("q", c -> SqliteDb.query(c, byValue, rs -> rs.getInt(1),
                2));
        assertThat(before).containsExactly(2);
        db.write("add", c -> SqliteDb.update(c, "INSERT INTO t (v) VALUES (?)", 3));
        List<Integer> after = db.read("q", c -> SqliteDb.query(c, byValue, rs -> rs.getInt(1),
                1));
        assertThat(after).containsExactly(1, 2, 3);
    }

    @Test
    void aKeptStatementOnTheWriterHoldsNoReadSnapshot() throws Exception {
        // Outside a transaction the writer is in auto-commit: a statement kept un-reset would
        // hold a read snapshot there, and no checkpoint could empty the WAL behind it.
        db.onWriter("q", c -> SqliteDb.query(c, SELECT, rs -> rs.getInt(1)));
        db.write("add", c -> SqliteDb.update(c, "INSERT INTO t (v) VALUES (3)"));
        try (Connection other = connect(); Statement st = other.createStatement();
                ResultSet rs = st.executeQuery("PRAGMA wal_checkpoint(TRUNCATE)")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getInt(1)).as("checkpoint busy").isZero();
        }
    }

    @Test
    void aStatementWhoseUseFailedIsClosedNotKept() {
        AtomicReference<Statement> failed = new AtomicReference<>();
        assertThatThrownBy(() -> db.read("q", c -> SqliteDb.query(c, SELECT, rs -> {
            failed.set(rs.getStatement());
            throw new SQLException("row refused");
        }))).isInstanceOf(StoreException.class).hasMessageContaining("row refused");
        Statement next = statementOf(SELECT);
        assertThat(next).isNotSameAs(failed.get());
        assertThat(isClosed(failed.get())).isTrue();
    }

    @Test
    void aNestedUseOfTheSameTextRunsOnAStatementOfItsOwn() {
        List<String> pairs = db.read("q", c -> SqliteDb.query(c, SELECT, outer -> {
            int v = outer.getInt(1);
            List<Integer> inner = SqliteDb.query(c, SELECT, rs -> rs.getInt(1));
            return v + ":" + inner;
        }));
        assertThat(pairs).containsExactly("1:[1, 2]", "2:[1, 2]");
    }

    @Test
    void atMostKeptTextsAreKeptAndTheLeastRecentlyUsedIsClosed() throws Exception {
        try (Connection c = connect()) {
            SqliteStatements statements = new SqliteStatements(c);
            List<PreparedStatement> given = new ArrayList<>();
            for (int i = 0; i <= SqliteStatements.KEPT; i++) {
                String sql = "SELECT " + i;
                PreparedStatement st = statements.take(sql);
                given.add(st);
                statements.giveBack(sql, st);
            }
            assertThat(statements.kept()).isEqualTo(SqliteStatements.KEPT);
            assertThat(given.get(0).isClosed()).isTrue();
            assertThat(given.get(1).isClosed()).isFalse();
            statements.close();
            assertThat(statements.kept()).isZero();
            assertThat(given.get(1).isClosed()).isTrue();
        }
    }

    private static boolean isClosed(Statement st) {
        try {
            return st.isClosed();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
