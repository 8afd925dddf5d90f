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

/**
 * Prepared statements are kept per connection, reset, with their last values unless one was large,
 * and never kept after a failed use.
 */
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
    void aKeptStatementKeepsItsLastValuesBecauseClearingThemMakesSqliteCompileItAgain()
            throws Exception {
        // Issue 19: sqlite3_clear_bindings expires a statement whose plan looked at a bound
        // value, and SQLite compiles it again at its next step. Run again without binding, a
        // kept statement must still answer for its last values: they were not cleared.
        try (Connection c = connect()) {
            SqliteStatements statements = new SqliteStatements(c);
            String byValue = "SELECT v FROM t WHERE v = ?";
            PreparedStatement st = statements.take(byValue);
            st.setInt(1, 2);
            assertThat(values(st)).containsExactly(2);
            statements.giveBack(byValue, st, false);
            PreparedStatement again = statements.take(byValue);
            assertThat(again).isSameAs(st);
            assertThat(values(again)).as("run with the values of its last use").containsExactly(2);
            statements.close();
        }
    }

    @Test
    void aStatementThatHeldALargeValueComesBackWithItsValuesCleared() throws Exception {
        // so that a kept statement does not hold a webhook's payload until its next use
        try (Connection c = connect()) {
            SqliteStatements statements = new SqliteStatements(c);
            String byText = "SELECT v FROM t WHERE length(?) > 0";
            PreparedStatement st = statements.take(byText);
            String large = "x".repeat(SqliteStatements.LARGE_VALUE);
            st.setString(1, large);
            assertThat(values(st)).containsExactly(1, 2);
            statements.giveBack(byText, st, SqliteStatements.holdsLargeValue(new Object[] {large}));
            assertThat(values(statements.take(byText))).as("run with its value cleared (NULL)")
                    .isEmpty();
            statements.close();
        }
    }

    @Test
    void aValueIsLargeFromLargeValueCharactersOrBytes() {
        int large = SqliteStatements.LARGE_VALUE;
        assertThat(SqliteStatements.holdsLargeValue(new Object[] {"x".repeat(large - 1), 7L,
                new byte[large - 1], null})).isFalse();
        assertThat(SqliteStatements.holdsLargeValue(new Object[] {1, "x".repeat(large)}))
                .isTrue();
        assertThat(SqliteStatements.holdsLargeValue(new Object[] {new byte[large]})).isTrue();
    }

    @Test
    void aUseThatBindsFewerOrMoreValuesThanTheStatementTakesIsRefused() {
        // a kept statement still holds its last use's values: one left unbound would be read
        String two = "SELECT v FROM t WHERE v >= ? AND v <= ?";
        List<Integer> both = db.read("q", c -> SqliteDb.query(c, two, rs -> rs.getInt(1), 1, 2));
        assertThat(both).containsExactly(1, 2);
        assertThatThrownBy(() -> db.read("q", c -> SqliteDb.query(c, two, rs -> rs.getInt(1),
                2))).isInstanceOf(StoreException.class)
                .hasMessageContaining("the statement takes 2 parameters, 1 were given");
        assertThatThrownBy(() -> db.write("w", c -> SqliteDb.update(c,
                "INSERT INTO t (v) VALUES (?)", 3, 4))).isInstanceOf(StoreException.class)
                .hasMessageContaining("the statement takes 1 parameters, 2 were given");
        List<Integer> unchanged = db.read("q", c -> SqliteDb.query(c, SELECT, rs -> rs.getInt(1)));
        assertThat(unchanged).containsExactly(1, 2);
    }

    private static List<Integer> values(PreparedStatement st) throws SQLException {
        List<Integer> out = new ArrayList<>();
        try (ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
                out.add(rs.getInt(1));
            }
        }
        return out;
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
                statements.giveBack(sql, st, false);
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
