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
 * reset (its result set closed or its update done, which resets it in sqlite-jdbc), so a kept
 * statement holds no snapshot. A statement whose use failed is closed rather than kept. At most
 * {@value #KEPT} texts are kept; the least recently used is closed beyond that (the texts are
 * the store's constants, or built from a query's filter shape and never from a value, so far
 * fewer).
 *
 * <p>A kept statement keeps the values of its last use, unless one of them was large
 * ({@link #LARGE_VALUE}). Clearing them compiled the statement again: sqlite-jdbc's
 * {@code clearParameters} is {@code sqlite3_clear_bindings}, which marks a statement expired
 * whenever its plan looked at a bound value ({@code Vdbe.expmask}, SQLite's
 * {@code vdbeapi.c}), and SQLite then recompiles it at its next step, as after a schema change.
 * Issue 19: that was a third to a half of the CPU of the gate's store reads (at 16 connections
 * the overrides' read took 41-50 µs of CPU with the clearing and 16-21 µs without, the cost
 * reports' 108-127 and 68-88 µs). Every use binds every parameter again ({@link SqliteDb}
 * refuses a use that binds fewer or more), so an old value is never read; a large one is cleared
 * so that a kept statement does not hold a webhook's payload until its next use.
 */
final class SqliteStatements {
    static final int KEPT = 64;
    /**
     * Characters or bytes of a bound value from which its statement is cleared when given back:
     * above a gate's or a webhook's usual rows, below the payloads GitHub may send (25 MB).
     */
    static final int LARGE_VALUE = 64 * 1024;

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

    /**
     * Keeps {@code st} (reset by its use) for the next use of {@code sql}; its values are
     * cleared when {@code heldLargeValue} (see the class comment for why only then).
     */
    void giveBack(String sql, PreparedStatement st, boolean heldLargeValue) {
        if (heldLargeValue) {
            try {
                st.clearParameters();
            } catch (SQLException e) {
                closeQuietly(st);
                return;
            }
        }
        PreparedStatement other = idle.putIfAbsent(sql, st);
        if (other != null) {
            closeQuietly(st); // a nested use of the same text prepared a second one
        }
    }

    /** Whether any of {@code values} is at least {@link #LARGE_VALUE} long. */
    static boolean holdsLargeValue(Object[] values) {
        for (Object v : values) {
            if (v instanceof CharSequence text && text.length() >= LARGE_VALUE
                    || v instanceof byte[] bytes && bytes.length >= LARGE_VALUE) {
                return true;
            }
        }
        return false;
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
