package io.tidegate.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.function.LongSupplier;

import io.tidegate.lifecycle.PeriodicJob;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;

/**
 * Copies the write-ahead log back into the database file from a thread and a connection of its
 * own. SQLite's automatic checkpoint runs inside whichever COMMIT crosses 1,000 WAL pages and
 * syncs the file twice there: one webhook intake in a hundred waited for it. Moved here (a
 * PASSIVE checkpoint, which never blocks writers or readers), the store's own intake benchmark
 * went from 1,650 to 3,500 deliveries/s on one thread and its p99 from 12 ms to 2.2 ms.
 *
 * <p>Durability does not change: a commit is in the WAL before it returns, and SQLite replays
 * the WAL on open after a crash. The store keeps the automatic checkpoint as a backstop at
 * {@link #BACKSTOP_PAGES} pages (80 MB), should this thread fall behind or fail. A steady stream
 * of writes reaches it too (issue 19, fourteenth pass: every second or two at 1 to 64 intake
 * connections): SQLite starts the WAL over only when a write begins after a checkpoint copied
 * all of it, and frames arrive while this one runs. Starting the WAL over from here, on the
 * writer's connection with its lock held, kept the WAL under 14,000 frames but did not lower
 * the intake's tail (bench/README.md), so the backstop's checkpoint inside a commit stays.
 *
 * <p>A second thread syncs the WAL's new frames to disk every {@link #FLUSH_EVERY} while
 * commits arrive. Why: after a checkpoint has copied the whole WAL, the next commit starts the
 * WAL over and, with {@code synchronous=NORMAL}, SQLite syncs the WAL file in that commit (so
 * that a power loss cannot mix old and new frames). That sync wrote every frame committed since
 * the checkpoint's own sync. Issue 19: at 64 concurrent webhook deliveries, the one commit a
 * second that made it took 50-130 ms, and every delivery of its batch and of the batches
 * queued behind it waited; it was the intake's p99. With the frames already on disk, that
 * commit's sync has little left to write (its longest measured 35-38 ms). The flush only adds
 * syncs, so it can only make a commit more durable, never less, and an idle store makes none.
 */
final class SqliteCheckpointer implements AutoCloseable {
    /** The automatic checkpoint threshold left on the store's connection. */
    static final int BACKSTOP_PAGES = 20_000;
    /** How often the WAL's new frames are synced while commits arrive (see the class). */
    static final Duration FLUSH_EVERY = Duration.ofMillis(20);
    private static final Logger log = LoggerFactory.getLogger(SqliteCheckpointer.class);

    private final Connection connection;
    private final PeriodicJob thread;
    private boolean failing;
    private final Path wal;
    /** The store's count of commits, see {@link SqliteDb#commits}. */
    private final LongSupplier commits;
    private final PeriodicJob flusher;
    private long flushedAt; // the commit count at the last flush; guarded by flushWal
    private volatile long flushes;
    private boolean flushFailing;

    private SqliteCheckpointer(Connection connection, Path file, String name, Duration every,
            LongSupplier commits) {
        this.connection = connection;
        this.wal = Path.of(file.toAbsolutePath() + "-wal");
        this.commits = commits;
        this.thread = PeriodicJob.every(name + "-checkpoint", every, every, this::checkpoint);
        this.flusher = PeriodicJob.every(name + "-wal-flush", FLUSH_EVERY, FLUSH_EVERY,
                this::flushWal);
        thread.start();
        flusher.start();
    }

    /**
     * @param name    its threads' names begin with it ({@code sqlite}, {@code sqlite-audit})
     * @param commits the store's count of commits: the WAL is flushed only when it has moved
     */
    static SqliteCheckpointer start(Path file, String name, Duration every,
            LongSupplier commits)
            throws SQLException {
        SQLiteConfig config = new SQLiteConfig();
        config.setBusyTimeout(1_000);
        return new SqliteCheckpointer(
                config.createConnection("jdbc:sqlite:" + file.toAbsolutePath()), file, name, every,
                commits);
    }

    /** Syncs the WAL file if anything was committed since the last time; see the class. */
    synchronized void flushWal() {
        long seen = commits.getAsLong();
        if (seen == flushedAt) {
            return;
        }
        // Opened for each flush: SQLite deletes and recreates the file as the store closes and
        // opens, and a kept channel would sync a deleted file.
        try (FileChannel ch = FileChannel.open(wal, StandardOpenOption.WRITE)) {
            ch.force(false);
            flushedAt = seen;
            flushes++;
            flushFailing = false;
        } catch (NoSuchFileException gone) {
            flushedAt = seen; // no WAL (the store closed): nothing waits to be synced
        } catch (IOException e) {
            if (!flushFailing) {
                log.warn("SQLite WAL flush failed (commits still sync as SQLite does): {}",
                        e.toString());
                flushFailing = true;
            }
        }
    }

    /** For tests: how many times the WAL was synced by {@link #flushWal}. */
    long flushes() {
        return flushes;
    }

    /** Runs one PASSIVE checkpoint now; the number of WAL frames still not copied, or -1. */
    synchronized int checkpoint() {
        try (Statement st = connection.createStatement();
                ResultSet rs = st.executeQuery("PRAGMA wal_checkpoint(PASSIVE)")) {
            // One row: busy flag, frames in the WAL, frames copied into the database.
            int left = rs.next() ? rs.getInt(2) - rs.getInt(3) : -1;
            if (failing) {
                log.info("SQLite checkpoints work again");
                failing = false;
            }
            return left;
        } catch (SQLException | RuntimeException e) {
            // Logged once per failing streak: the backstop keeps the WAL bounded meanwhile.
            if (!failing) {
                log.warn("SQLite checkpoint failed (the store's own checkpoint takes over "
                        + "at {} pages): {}", BACKSTOP_PAGES, e.getMessage());
                failing = true;
            }
            return -1;
        }
    }

    @Override
    public void close() {
        flusher.stop(Duration.ofSeconds(5));
        thread.stop(Duration.ofSeconds(5));
        synchronized (this) {
            try {
                connection.close();
            } catch (SQLException e) {
                log.warn("SQLite checkpoint connection did not close: {}", e.getMessage());
            }
        }
    }
}
