package io.tidegate.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The prepared statements of one connection, kept between uses so that SQLite compiles each SQL
 * text once per connection rather than once per use. Issue 19: compiling the statements was more
 * than half of the CPU a gate decision spent in its store reads (a profile at 16 connections:
 * {@code prepareStatement} 6.2 % of all samples, the reads 11.9 %).
 *
 * <p>Only the thread holding the connection (a reader taken from the pool, or the writer under
 * its lock) uses its statements, so nothing here is synchronized. A statement is taken out while
 * it runs, so a statement run inside another's row mapping gets one of its own; it comes back
 * reset (its result set closed or its update done, which resets it in sqlite-jdbc) and with its
 * parameters cleared, so a kept statement holds no snapshot and no caller's values. A statement
 * whose use failed is closed rather than kept. At most {@value #KEPT} texts are kept; the least
 * recently used is closed beyond that (the texts are the store's constants, or built from a
 * query's filter shape and never from a value, so far fewer).
 */
final class SqliteStatements {
    static final int KEPT = 64;

    private final Connection connection;
    private final Map<String, PreparedStatement> idle = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, PreparedStatement> eldest) {
            if (size() <= KEPT) {
                return false;
            }
            closeQuietly(eldest.getValue());
            return true;
        }
    };

    SqliteStatements(Connection connection) {
        this.connection = connection;
    }

    /** Whether these are {@code c}'s statements. */
    boolean belongTo(Connection c) {
        return connection == c;
    }

    /** A kept statement for {@code sql}, or a newly prepared one; give it back after use. */
    PreparedStatement take(String sql) throws SQLException {
        PreparedStatement kept = idle.remove(sql);
        return kept != null ? kept : connection.prepareStatement(sql);
    }

    /** Keeps {@code st} (reset by its use) for the next use of {@code sql}. */
    void giveBack(String sql, PreparedStatement st) {
        try {
            st.clearParameters();
        } catch (SQLException e) {
            closeQuietly(st);
            return;
        }
        PreparedStatement other = idle.putIfAbsent(sql, st);
        if (other != null) {
            closeQuietly(st); // a nested use of the same text prepared a second one
        }
    }

    /** How many statements are kept (for tests). */
    int kept() {
        return idle.size();
    }

    /** Closes every kept statement; the connection's holder calls it before closing it. */
    void close() {
        for (Iterator<PreparedStatement> it = idle.values().iterator(); it.hasNext(); ) {
            closeQuietly(it.next());
            it.remove();
        }
    }

    static void closeQuietly(PreparedStatement st) {
        try {
            st.close();
        } catch (SQLException ignored) {
            // a statement that cannot be closed is dropped all the same; its connection closes it
        }
    }
}
