package io.tidegate.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The SQLite connections of a {@link SqliteStore}: one writer, used by one thread at a time, and
 * (for a store file) up to {@link #READERS} read connections beside it. Writes run in
 * {@code BEGIN IMMEDIATE} transactions, so they take SQLite's write lock up front and racing
 * store instances over the same file queue on the busy timeout instead of failing. Reads take a
 * connection of their own: in WAL mode readers see the last commit while the writer works, so a
 * gate's snapshot reads no longer queue behind every other read and write (issue 19: JFR showed
 * the gate's request threads parked on the single connection's lock for most of their own time).
 * A read made while the same thread holds the writer (inside a write) uses the writer, so it
 * sees that write's uncommitted rows as before.
 */
final class SqliteDb {
    /** Work done with the connection. */
    @FunctionalInterface
    interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    /** Opens one more connection to the store's file. */
    @FunctionalInterface
    interface Opener {
        Connection open() throws SQLException;
    }

    /** Maps one row. */
    @FunctionalInterface
    interface Row<T> {
        T map(ResultSet rs) throws SQLException;
    }

    /** Read connections at most: the gate's and the workers' concurrent reads on 2 cores. */
    static final int READERS = 4;

    private final Connection connection;
    private final ReentrantLock lock = new ReentrantLock();
    /** Write transactions committed; written only with {@link #lock} held. */
    private volatile long commits;
    /** Opens one more read connection; empty: reads share the writer (a read-only archive). */
    private final Optional<Opener> openReader;
    private final BlockingQueue<Connection> idleReaders = new ArrayBlockingQueue<>(READERS);
    private final List<Connection> readers = new ArrayList<>();
    private volatile boolean closed;

    /** One connection for reads and writes. */
    SqliteDb(Connection connection) throws SQLException {
        this(connection, Optional.empty());
    }

    /** A writer, and read connections opened by {@code openReader} as reads need them. */
    SqliteDb(Connection connection, Optional<Opener> openReader) throws SQLException {
        this.connection = connection;
        this.openReader = openReader;
        connection.setAutoCommit(true);
    }

    /** Runs {@code work} in one write transaction; rolls back if it throws. */
    <T> T write(String what, Work<T> work) {
        lock.lock();
        try {
            connection.setAutoCommit(false);
            try {
                T result = work.run(connection);
                connection.commit();
                commits++; // only the lock holder writes it, so the increment is not racy
                return result;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new StoreException("SQLite: " + what + " failed: " + e.getMessage(), e);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Runs {@code work} as one read transaction on a read connection, so all its statements see
     * the same commit; on the writer (outside a transaction) when there are no read connections
     * or the thread is inside a write, whose uncommitted rows it then sees.
     */
    <T> T read(String what, Work<T> work) {
        if (openReader.isEmpty() || lock.isHeldByCurrentThread()) {
            return onWriter(what, work);
        }
        Connection reader = acquireReader(what);
        try {
            // one read transaction: every statement of the read sees the same commit, as they
            // did when no write could come between them on the shared connection
            T result = work.run(reader);
            reader.commit();
            return result;
        } catch (SQLException | RuntimeException e) {
            try {
                reader.rollback();
            } catch (SQLException ignored) {
                // closed with the store: the failure below says what happened
            }
            if (e instanceof SQLException sql) {
                throw new StoreException("SQLite: " + what + " failed: " + sql.getMessage(), sql);
            }
            throw (RuntimeException) e;
        } finally {
            idleReaders.offer(reader);
        }
    }

    /**
     * Runs {@code work} on the writer connection, holding it, outside a transaction: for work on
     * the writer's own objects (closing the statements prepared on it), never on a reader.
     */
    <T> T onWriter(String what, Work<T> work) {
        lock.lock();
        try {
            return work.run(connection);
        } catch (SQLException e) {
            throw new StoreException("SQLite: " + what + " failed: " + e.getMessage(), e);
        } finally {
            lock.unlock();
        }
    }

    /** How many write transactions have committed (for {@link SqliteCheckpointer}'s flush). */
    long commits() {
        return commits;
    }

    /** Whether this thread holds the writer (is inside a write). */
    boolean heldByCurrentThread() {
        return lock.isHeldByCurrentThread();
    }

    /** An idle read connection, a new one while there are fewer than READERS, else the next free. */
    private Connection acquireReader(String what) {
        Connection idle = idleReaders.poll();
        if (idle != null) {
            return idle;
        }
        synchronized (readers) {
            if (closed) {
                throw new StoreException("SQLite: " + what + " failed: the store is closed");
            }
            if (readers.size() < READERS) {
                try {
                    Connection c = openReader.get().open();
                    c.setAutoCommit(false); // each read is one (deferred) read transaction
                    readers.add(c);
                    return c;
                } catch (SQLException e) {
                    throw new StoreException("SQLite: " + what + " failed: cannot open a read"
                            + " connection: " + e.getMessage(), e);
                }
            }
        }
        try {
            return idleReaders.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("SQLite: " + what + " interrupted", e);
        }
    }

    void close() {
        synchronized (readers) {
            closed = true;
            for (Connection r : readers) {
                try {
                    r.close(); // a read in progress fails with "closed", as it did on the writer
                } catch (SQLException e) {
                    // the writer's close below reports what matters
                }
            }
        }
        lock.lock();
        try {
            connection.close();
        } catch (SQLException e) {
            throw new StoreException("SQLite: close failed: " + e.getMessage(), e);
        } finally {
            lock.unlock();
        }
    }

    static int update(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement st = prepare(c, sql, args)) {
            return st.executeUpdate();
        }
    }

    static <T> List<T> query(Connection c, String sql, Row<T> row, Object... args)
            throws SQLException {
        try (PreparedStatement st = prepare(c, sql, args); ResultSet rs = st.executeQuery()) {
            List<T> out = new ArrayList<>();
            while (rs.next()) {
                out.add(row.map(rs));
            }
            return out;
        }
    }

    static <T> Optional<T> one(Connection c, String sql, Row<T> row, Object... args)
            throws SQLException {
        List<T> rows = query(c, sql, row, args);
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
    }

    static Instant instant(ResultSet rs, String column) throws SQLException {
        return Instant.ofEpochMilli(rs.getLong(column));
    }

    static Optional<Instant> optionalInstant(ResultSet rs, String column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(v));
    }

    private static PreparedStatement prepare(Connection c, String sql, Object... args)
            throws SQLException {
        PreparedStatement st = c.prepareStatement(sql);
        bind(st, args);
        return st;
    }

    /** Binds {@code args} in order, an {@link Instant} as epoch milliseconds. */
    static void bind(PreparedStatement st, Object... args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            Object a = args[i];
            st.setObject(i + 1, a instanceof Instant t ? t.toEpochMilli() : a);
        }
    }
}
