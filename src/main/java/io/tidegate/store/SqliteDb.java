package io.tidegate.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
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
 * sees that write's uncommitted rows as before. Each connection keeps its prepared statements
 * ({@link SqliteStatements}); the helpers below use the ones of the connection the thread holds.
 *
 * <p>The writer stays in JDBC's autocommit mode, and a write is framed by kept
 * {@code BEGIN IMMEDIATE} and {@code COMMIT} statements ({@link Framing}), not by
 * {@code setAutoCommit(false)}, {@code commit()} and {@code setAutoCommit(true)}. sqlite-jdbc
 * 3.54 runs those as {@code begin immediate;}, then {@code commit;} followed at once by a second
 * {@code begin immediate;}, then {@code commit;}: four statements compiled for each write, and
 * an empty second transaction that takes and gives back the write lock (four more {@code fcntl}
 * calls). Issue 19: a one-row insert took 67-70 µs of thread CPU per transaction that way and
 * 57-61 µs framed by kept statements (alternating rounds in one process, 1,500 transactions
 * each); every intake and every gate decision commits once.
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

    /** A read connection and its statements, taken from the pool together. */
    private record Reader(Connection connection, SqliteStatements statements) {}

    /** The statements of the connection this thread holds inside a read or write, if any. */
    private static final ThreadLocal<SqliteStatements> HELD = new ThreadLocal<>();
    /** The read connection of the {@link #readTogether} this thread is in, if any. */
    private final ThreadLocal<Reader> together = new ThreadLocal<>();

    private final Connection connection;
    private final SqliteStatements writerStatements;
    /** The writer's transaction statements, prepared by the first write; under {@link #lock}. */
    private Framing framing;
    private final ReentrantLock lock = new ReentrantLock();
    /** Write transactions committed; written only with {@link #lock} held. */
    private volatile long commits;
    /** The last write refused with {@code SQLITE_FULL}, see {@link #diskFullWithin}. */
    private final DiskFullMemory diskFull = new DiskFullMemory();
    /** Opens one more read connection; empty: reads share the writer (a read-only archive). */
    private final Optional<Opener> openReader;
    private final BlockingQueue<Reader> idleReaders = new ArrayBlockingQueue<>(READERS);
    private final List<Reader> readers = new ArrayList<>();
    private volatile boolean closed;

    /** One connection for reads and writes. */
    SqliteDb(Connection connection) throws SQLException {
        this(connection, Optional.empty());
    }

    /** A writer, and read connections opened by {@code openReader} as reads need them. */
    SqliteDb(Connection connection, Optional<Opener> openReader) throws SQLException {
        this.connection = connection;
        this.writerStatements = new SqliteStatements(connection);
        this.openReader = openReader;
        connection.setAutoCommit(true);
    }

    /** Runs {@code work} in one write transaction; rolls back if it throws. */
    <T> T write(String what, Work<T> work) {
        lock.lock();
        try {
            Framing tx = framing();
            T result;
            try {
                tx.begin().execute();
                result = holding(writerStatements, connection, work);
                tx.commit().execute();
            } catch (SQLException | RuntimeException e) {
                endFailed(e);
                throw e;
            }
            commits++; // only the lock holder writes it, so the increment is not racy
            return result;
        } catch (SQLException e) {
            StoreException failed = new StoreException("SQLite: " + what + " failed: "
                    + e.getMessage(), e);
            if (isDiskFull(e)) {
                diskFull.note(failed.getMessage());
            }
            throw failed;
        } finally {
            lock.unlock();
        }
    }

    /** SQLite's {@code SQLITE_FULL} (13), the extended codes' low byte included. */
    private static boolean isDiskFull(SQLException e) {
        return (e.getErrorCode() & 0xff) == 13;
    }

    /**
     * The message of the last write refused for lack of space ({@code SQLITE_FULL}) if it was
     * refused within {@code within} (see {@link DiskFullMemory}).
     */
    Optional<String> diskFullWithin(java.time.Duration within) {
        return diskFull.within(within);
    }

    /** The kept statements that open and end the writer's transactions. */
    private record Framing(PreparedStatement begin, PreparedStatement commit) {}

    private Framing framing() throws SQLException {
        if (framing == null) {
            // IMMEDIATE: the write lock up front, so racing store instances over one file queue
            // on the busy timeout instead of failing when a read would turn into a write
            framing = new Framing(connection.prepareStatement("BEGIN IMMEDIATE"),
                    connection.prepareStatement("COMMIT"));
        }
        return framing;
    }

    /**
     * Ends a failed write: rolls it back, keeping {@code failure} as the error reported, and
     * prepares the framing afresh for the next write. A kept statement can come out of a failure
     * closed: on a full disk (a tmpfs filled up, {@code DataDirFileSystemTest}) every later write
     * failed with sqlite-jdbc's "statement is not executing" until the framing was prepared
     * again. The rollback is a statement of its own for the same reason. On some errors SQLite
     * has already rolled the transaction back itself (a full database or disk:
     * {@code SQLITE_FULL}), or none was begun (the lock not taken in time); the {@code ROLLBACK}
     * then fails with "no transaction is active", and that must not replace the real error in
     * the message an operator reads (issue 19's full-disk check).
     */
    private void endFailed(Exception failure) {
        try (Statement st = connection.createStatement()) {
            st.execute("ROLLBACK");
        } catch (SQLException e) {
            failure.addSuppressed(e);
        }
        forgetFraming();
    }

    private void forgetFraming() {
        Framing tx = framing;
        framing = null;
        if (tx != null) {
            SqliteStatements.closeQuietly(tx.begin());
            SqliteStatements.closeQuietly(tx.commit());
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
        Reader inside = together.get();
        if (inside != null) {
            // inside readTogether: a part of its transaction
            try {
                return holding(inside.statements(), inside.connection(), work);
            } catch (SQLException e) {
                throw new StoreException("SQLite: " + what + " failed: " + e.getMessage(), e);
            }
        }
        // one read transaction: every statement of the read sees the same commit, as they
        // did when no write could come between them on the shared connection
        return onReader(what, taken -> holding(taken.statements(), taken.connection(), work));
    }

    /**
     * Runs {@code reads} with every {@link #read} inside it as part of one read transaction on
     * one read connection (see {@code Store#readTogether}). Nested, or where {@link #read} would
     * use the writer, the reads simply run.
     */
    <T> T readTogether(String what, java.util.function.Supplier<T> reads) {
        if (openReader.isEmpty() || lock.isHeldByCurrentThread() || together.get() != null) {
            return reads.get();
        }
        return onReader(what, taken -> {
            together.set(taken);
            try {
                return reads.get();
            } finally {
                together.remove();
            }
        });
    }

    /** Work on a pooled read connection. */
    private interface ReaderWork<T> {
        T run(Reader reader) throws SQLException;
    }

    /** Runs {@code work} as one read transaction on a pooled reader, given back after. */
    private <T> T onReader(String what, ReaderWork<T> work) {
        Reader taken = acquireReader(what);
        try {
            T result = work.run(taken);
            taken.connection().commit();
            return result;
        } catch (SQLException | RuntimeException e) {
            try {
                taken.connection().rollback();
            } catch (SQLException ignored) {
                // closed with the store: the failure below says what happened
            }
            if (e instanceof SQLException sql) {
                throw new StoreException("SQLite: " + what + " failed: " + sql.getMessage(), sql);
            }
            throw (RuntimeException) e;
        } finally {
            idleReaders.offer(taken);
        }
    }

    /** Runs {@code work} on {@code c}, whose statements the helpers below then use. */
    private static <T> T holding(SqliteStatements statements, Connection c, Work<T> work)
            throws SQLException {
        SqliteStatements outer = HELD.get();
        HELD.set(statements);
        try {
            return work.run(c);
        } finally {
            HELD.set(outer);
        }
    }

    /**
     * Runs {@code work} on the writer connection, holding it, outside a transaction: for work on
     * the writer's own objects (closing the statements prepared on it), never on a reader.
     */
    <T> T onWriter(String what, Work<T> work) {
        lock.lock();
        try {
            return holding(writerStatements, connection, work);
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
    private Reader acquireReader(String what) {
        Reader idle = idleReaders.poll();
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
                    Reader r = new Reader(c, new SqliteStatements(c));
                    readers.add(r);
                    return r;
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
            for (Reader r : readers) {
                try {
                    // a read in progress fails with "closed", as it did on the writer; closing
                    // the connection finalizes its statements, kept or in use (sqlite-jdbc's
                    // DB.close), without touching the kept ones a reader may be giving back
                    r.connection().close();
                } catch (SQLException e) {
                    // the writer's close below reports what matters
                }
            }
        }
        lock.lock();
        try {
            writerStatements.close();
            forgetFraming();
            connection.close();
        } catch (SQLException e) {
            throw new StoreException("SQLite: close failed: " + e.getMessage(), e);
        } finally {
            lock.unlock();
        }
    }

    static int update(Connection c, String sql, Object... args) throws SQLException {
        return withStatement(c, sql, args, PreparedStatement::executeUpdate);
    }

    static <T> List<T> query(Connection c, String sql, Row<T> row, Object... args)
            throws SQLException {
        return withStatement(c, sql, args, st -> {
            try (ResultSet rs = st.executeQuery()) {
                List<T> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(row.map(rs));
                }
                return out;
            }
        });
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

    /** What runs with a bound statement; it leaves the statement reset (result set closed). */
    @FunctionalInterface
    private interface Use<T> {
        T run(PreparedStatement st) throws SQLException;
    }

    /**
     * Runs {@code use} with {@code sql} bound to {@code args}: on a kept statement when the
     * thread holds {@code c} through this class (a read or a write), else on one prepared for
     * this use and closed after it (a connection of its own, such as a migration's).
     */
    private static <T> T withStatement(Connection c, String sql, Object[] args, Use<T> use)
            throws SQLException {
        SqliteStatements held = HELD.get();
        if (held == null || !held.belongTo(c)) {
            try (PreparedStatement st = c.prepareStatement(sql)) {
                bind(st, args);
                return use.run(st);
            }
        }
        PreparedStatement st = held.take(sql);
        boolean used = false;
        try {
            bind(st, args);
            T result = use.run(st);
            used = true;
            return result;
        } finally {
            if (used) {
                held.giveBack(sql, st, SqliteStatements.holdsLargeValue(args));
            } else {
                SqliteStatements.closeQuietly(st); // never keep a statement whose use failed
            }
        }
    }

    /**
     * Binds {@code args} in order, an {@link Instant} as epoch milliseconds. They must be as many
     * as the statement's parameters: a kept statement still holds its last use's values
     * ({@link SqliteStatements}), and one left unbound would be read.
     */
    static void bind(PreparedStatement st, Object... args) throws SQLException {
        int parameters = st.getParameterMetaData().getParameterCount();
        if (args.length != parameters) {
            throw new SQLException("the statement takes " + parameters + " parameters, "
                    + args.length + " were given");
        }
        for (int i = 0; i < args.length; i++) {
            Object a = args[i];
            st.setObject(i + 1, a instanceof Instant t ? t.toEpochMilli() : a);
        }
    }
}
