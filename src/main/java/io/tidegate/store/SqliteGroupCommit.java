package io.tidegate.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Group commit over a {@link SqliteDb}: callers queue an item and wait; one writer thread takes
 * every queued item (up to {@link #MAX_BATCH}), writes them in one transaction and completes
 * them all. Each caller returns only once a transaction holding its item has committed (or
 * failed: then every item of that transaction fails with the same {@link StoreException} and
 * none is stored). Waiting callers are woken by their own result, not by passing the
 * connection's lock from thread to thread.
 *
 * <p>Why: callers that each took the writer's lock for their own one-row transaction formed a
 * convoy on it. Issue 19: at 16 concurrent gate decisions JFR saw the request threads parked
 * 64 s per 20 s on the audit append's lock, while the commit itself takes tens of microseconds.
 *
 * <p>{@link Inline} says when a caller writes its item itself, on its own thread: no hand-off to
 * the writer and back, whose two wake-ups are most of the wait when calls are far apart.
 *
 * <p>The writer thread starts with the first queued item, so a store that never writes this
 * kind of row (a read-only audit archive) never starts one.
 */
final class SqliteGroupCommit<T, R> {
    /** Writes a batch inside its transaction, in order, with one result per item. */
    @FunctionalInterface
    interface Batch<T, R> {
        List<R> write(Connection c, List<T> items) throws SQLException;
    }

    /**
     * When a caller may write its own item instead of handing it to the writer thread; in every
     * case only if nothing is queued and no batch is being written.
     */
    enum Inline {
        /** Always through the writer thread. */
        NEVER,
        /** Whenever the writer is idle (the audit: issue 19, fourth pass). */
        WHEN_IDLE
    }

    /** Bounds one transaction; the items left over go in the next one. */
    static final int MAX_BATCH = 256;

    private record Pending<T, R>(T item, CompletableFuture<R> result) {}

    private final SqliteDb db;
    private final String what;
    private final String threadName;
    private final Batch<T, R> batch;
    private final Inline inline;
    /** Held while a batch is written, by the writer or by a caller writing its own item. */
    private final ReentrantLock writing = new ReentrantLock();
    private final BlockingQueue<Pending<T, R>> queue = new LinkedBlockingQueue<>();
    /** Tells the writer to stop; never completed. */
    private final Pending<T, R> stop = new Pending<>(null, new CompletableFuture<>());
    private Thread writer; // guarded by this
    private volatile boolean closed;

    /**
     * @param what       the work in error messages ("SQLite: {what} failed: ...")
     * @param threadName the writer thread's name
     */
    SqliteGroupCommit(SqliteDb db, String what, String threadName, Batch<T, R> batch,
            Inline inline) {
        this.db = db;
        this.what = what;
        this.threadName = threadName;
        this.batch = batch;
        this.inline = inline;
    }

    /** Queues {@code item} and waits until a transaction holding it has committed. */
    R submit(T item) {
        if (closed) {
            throw closedException();
        }
        if (db.heldByCurrentThread()) {
            // Inside the caller's own write: the writer could never take the lock it holds, so
            // the item joins that transaction instead.
            return db.onWriter(what, c -> batch.write(c, List.of(item)).get(0));
        }
        if (inline == Inline.WHEN_IDLE && queue.isEmpty() && writing.tryLock()) {
            try {
                return db.write(what, c -> batch.write(c, List.of(item))).get(0);
            } finally {
                writing.unlock();
            }
        }
        return handOver(item);
    }

    /** Queues the item for the writer thread and waits for its batch's result. */
    private R handOver(T item) {
        Pending<T, R> mine = new Pending<>(item, new CompletableFuture<>());
        queue.add(mine);
        startWriter();
        if (closed) {
            // close() raced with this item: once the writer is gone, fail what it left behind.
            joinWriter();
            failQueued();
        }
        try {
            return mine.result().join();
        } catch (CompletionException failed) {
            // The batch's exception is shared by its callers; give each one its own stack.
            Throwable cause = failed.getCause();
            if (cause instanceof StoreException se) {
                throw new StoreException(se.getMessage(), se);
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw (RuntimeException) cause;
        }
    }

    private synchronized void startWriter() {
        if (writer == null && !closed) {
            writer = new Thread(this::writeLoop, threadName);
            writer.setDaemon(true);
            writer.start();
        }
    }

    private void writeLoop() {
        while (true) {
            Pending<T, R> first;
            try {
                first = queue.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            if (first == stop) {
                break;
            }
            List<Pending<T, R>> pending = new ArrayList<>();
            pending.add(first);
            queue.drainTo(pending, MAX_BATCH - 1);
            boolean stopping = pending.remove(stop);
            writeBatch(pending);
            if (stopping) {
                break;
            }
        }
        failQueued();
    }

    private void writeBatch(List<Pending<T, R>> pending) {
        writing.lock();
        try {
            List<T> items = pending.stream().map(Pending::item).toList();
            List<R> results = db.write(what, c -> batch.write(c, items));
            for (int i = 0; i < pending.size(); i++) {
                pending.get(i).result().complete(results.get(i));
            }
        } catch (RuntimeException | Error failed) {
            // Rolled back: nothing of this batch is stored, so every caller must see the error
            // (and none may be left waiting for a batch that will never commit).
            pending.forEach(p -> p.result().completeExceptionally(failed));
        } finally {
            writing.unlock();
        }
    }

    /** Stops the writer after the items already queued; later items fail. */
    void close() {
        closed = true;
        queue.add(stop);
        joinWriter();
        failQueued();
    }

    private void joinWriter() {
        Thread w;
        synchronized (this) {
            w = writer;
        }
        boolean interrupted = false;
        while (w != null && w.isAlive()) {
            try {
                w.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Only once the writer is gone (or never started): fails whatever is still queued. */
    private void failQueued() {
        List<Pending<T, R>> left = new ArrayList<>();
        queue.drainTo(left);
        left.stream().filter(p -> p != stop)
                .forEach(p -> p.result().completeExceptionally(closedException()));
    }

    private StoreException closedException() {
        return new StoreException("SQLite: " + what + " failed: the store is closed");
    }
}
