package io.tidegate.store;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.zip.CRC32C;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The inbox's intake journal: an added event is appended to a file beside the store and the
 * caller returns; a thread of its own moves the journal's events into the inbox table, in the
 * order they were appended, many per transaction.
 *
 * <p>Why (issue 19): a webhook is answered only once its event is stored, and a SQLite
 * transaction (the insert, the supersede, the commit's WAL frames and locks) was half of an
 * intake's time at one connection. Appending one record to a file is a few microseconds.
 * Alternating pairs: 3,617-3,667 deliveries/s at one connection before, 4,179-4,876 after; 64
 * connections 5,496-5,821 before, 6,364-6,395 after, but with a p99 of about 100 ms instead of
 * 35 (bench/README.md, sixteenth pass: request threads that no longer wait queue for the cores).
 *
 * <p>Durability does not change: the record is in the file (the operating system's page cache)
 * before {@link #append} returns, as a SQLite commit with {@code synchronous=NORMAL} is in the
 * WAL; both survive the process crashing, and only a power loss can take either. A journal left
 * by a process that stopped is moved into the inbox when the store next opens
 * ({@link #recover}); a record cut short (a write the power loss interrupted) ends the file.
 *
 * <p>What a caller sees:
 * <ul>
 *   <li>{@link #append} answers {@code false} for an id it still remembers (appended and not
 *       yet moved, or among the last {@value #REMEMBERED} moved): a redelivery in the same
 *       minutes is answered as a duplicate. An older redelivery is appended, answered as added,
 *       and dropped when moved (the inbox's {@code ON CONFLICT (id) DO NOTHING}): it is never
 *       processed twice, and {@link #lateDuplicates} counts it.</li>
 *   <li>While the last move failed (a full disk, a locked file), {@link #append} refuses with
 *       that failure, so the delivery is answered 503 and redelivered, as when the inbox was
 *       written directly. Events already appended stay in the journal and are moved once the
 *       store takes writes again.</li>
 *   <li>Behind {@value #MAX_PENDING} events not yet moved, an append waits for the mover
 *       (up to {@link #ROOM_WAIT}, then it is refused).</li>
 *   <li>Reads of the inbox ({@link SqliteInbox}) first wait, briefly, until every event
 *       appended before them is moved ({@link #awaitMoved}), so a caller reads its own adds.</li>
 * </ul>
 *
 * <p>Each store instance has its own journal, locked while it is open ({@code
 * tidegate.db-inbox-<start>-<random>-<n>.journal}): several instances may open one store (tests
 * stand them for replicas), and a journal whose lock is free belongs to a process that stopped.
 * The instances of one store in one process share their lock and the ids they remember
 * ({@link Siblings}), so a delivery raced through two of them is added once, and a read through
 * one waits for the others' events too.
 * A file is written once: it is closed past {@value #EMPTY_PAST} bytes (or after
 * {@value #IDLE_MILLIS} ms without events) once everything in it is moved, or past
 * {@value #SEGMENT_BYTES} bytes in any case, and deleted once moved, by the mover's thread, off
 * the appends' lock; the next file is made ready by that thread too. Why not empty a file and
 * write it again: truncating a file waits for the pages the system is writing back, and under
 * the lock every append would wait behind it (the first version did; the tail it was suspected
 * of at 64 connections had another cause, bench/README.md's sixteenth pass).
 */
final class InboxJournal implements AutoCloseable {
    /** Moves a batch into the inbox in one transaction; one answer per event, added or not. */
    @FunctionalInterface
    interface Mover {
        List<Boolean> move(List<Entry> batch);
    }

    /** An appended event and whether it supersedes the queued events of its key. */
    record Entry(InboxEvent event, boolean supersede) {}

    static final String SUFFIX = ".journal";
    /** Recent ids answered as duplicates without reading the inbox. */
    static final int REMEMBERED = 4_096;
    /**
     * Events appended and not moved past which an append waits for the mover (at most
     * {@link #ROOM_WAIT}, then it is refused: 503). Why: at 64 connections, 64 request threads
     * that never wait took the two cores from the mover's one; the events piled up and
     * deliveries were refused (1,727 in a benchmark row). Waiting appends also take their
     * threads off the cores, as the commit they waited for before the journal did.
     */
    static final int MAX_PENDING = 2_048;
    static final Duration ROOM_WAIT = Duration.ofSeconds(10);
    static final int MAX_BATCH = 256;
    static final long SEGMENT_BYTES = 4L << 20;
    static final long EMPTY_PAST = 64L << 10;
    static final long IDLE_MILLIS = 100;
    /**
     * How long the mover waits for more events before it moves fewer than {@link #LINGER_BELOW}
     * (unless someone waits for them, or the journal closes). Why: at one connection each
     * event was moved in a transaction of its own, 91 µs of the mover's CPU per delivery (41 %
     * of a core at 4,500 deliveries/s, with the load generator on the same two cores); waiting
     * a millisecond gathers about five per transaction, 44 µs each (bench/README.md, eighteenth
     * pass). Nobody waits for it: the webhook is answered once the event is in the journal, and
     * a read of the inbox cuts the wait short ({@link #awaitMoved}).
     */
    static final Duration LINGER = Duration.ofMillis(1);
    static final int LINGER_BELOW = 32;
    /** How long an inbox read waits for the mover before reading what is there. */
    static final Duration READ_WAIT = Duration.ofSeconds(2);
    /** A record begins with this, then its length and the CRC-32C of its bytes. */
    private static final int MAGIC = 0x54474a31; // "TGJ1"
    private static final int HEADER = 12;
    private static final Duration RETRY_FIRST = Duration.ofMillis(50);
    private static final Duration RETRY_MOST = Duration.ofSeconds(5);
    private static final Logger log = LoggerFactory.getLogger(InboxJournal.class);

    /** The journals of each store file open in this process. */
    private static final Map<Path, Siblings> OPEN = new HashMap<>(); // guarded by itself

    /**
     * The journals of one store file in this process: one lock for all of them, and the ids
     * they hold or moved lately.
     */
    private static final class Siblings {
        final ReentrantLock lock = new ReentrantLock();
        final List<InboxJournal> journals = new ArrayList<>();
        final Set<String> pendingIds = new HashSet<>();
        final LinkedHashSet<String> movedIds = new LinkedHashSet<>();
    }

    private final Path storeFile;
    private final Path dir;
    private final String prefix;
    private final Mover mover;
    private final Siblings siblings;
    private final ReentrantLock lock;
    private final Condition work;
    private final Condition moved;
    private final Condition room;
    private final Condition hurry;
    private final long lingerNanos;
    // Everything below is guarded by lock.
    private final ArrayDeque<Pending> pending = new ArrayDeque<>();
    private Segment current;
    /** The next file, made ready by the mover's thread; may be null. */
    private Segment spare;
    /** Closed for appends, with events still to move. */
    private final List<Segment> older = new ArrayList<>();
    /** All moved, for the mover's thread to delete off the lock. */
    private final List<Segment> retired = new ArrayList<>();
    private int segments;
    private long appended;
    private long movedCount;
    private long lateDuplicates;
    /** The last move's failure while it lasts; appends are refused meanwhile. */
    private StoreException failing;
    private boolean closed;
    /** Someone waits for the moves (a read, or an append through a sibling): no linger. */
    private boolean hurried;
    private final Thread thread;
    /** The last append refused for lack of space, for readiness. */
    private final DiskFullMemory diskFull = new DiskFullMemory();

    private record Pending(Entry entry, Segment segment, long number) {}

    /** One journal file, locked while this instance has it. */
    private static final class Segment {
        final Path path;
        final FileChannel channel;
        long size;
        int unmoved;

        Segment(Path path, FileChannel channel) {
            this.path = path;
            this.channel = channel;
        }
    }

    private InboxJournal(Path storeFile, String prefix, Mover mover, Siblings siblings,
            Duration linger) {
        this.storeFile = storeFile;
        this.dir = storeFile.getParent();
        this.prefix = prefix;
        this.mover = mover;
        this.siblings = siblings;
        this.lock = siblings.lock;
        this.work = lock.newCondition();
        this.moved = lock.newCondition();
        this.room = lock.newCondition();
        this.hurry = lock.newCondition();
        this.lingerNanos = linger.toNanos();
        this.thread = new Thread(this::moveLoop, "sqlite-inbox-journal");
        thread.setDaemon(true);
    }

    /**
     * Moves every journal left by a stopped process beside {@code storeFile} into the inbox,
     * then starts this instance's journal. Refuses to open (a {@link StoreException}) when a
     * left journal cannot be read or moved: it is kept, and the next start tries again.
     */
    static InboxJournal open(Path storeFile, Mover mover) {
        return open(storeFile, mover, LINGER);
    }

    /** As {@link #open(Path, Mover)}, with the mover's {@code linger} (tests lengthen it). */
    static InboxJournal open(Path storeFile, Mover mover, Duration linger) {
        Path file = storeFile.toAbsolutePath().normalize();
        String base = file.getFileName() + "-inbox-";
        synchronized (OPEN) {
            List<String> recovered = recover(file.getParent(), base, mover);
            Siblings siblings = OPEN.computeIfAbsent(file, f -> new Siblings());
            InboxJournal journal = new InboxJournal(file, base + System.currentTimeMillis() + "-"
                    + UUID.randomUUID().toString().substring(0, 8) + "-", mover, siblings,
                    linger);
            siblings.lock.lock();
            try {
                siblings.journals.add(journal);
                recovered.forEach(journal::remember); // a redelivery of them is a duplicate
            } finally {
                siblings.lock.unlock();
            }
            journal.thread.start();
            return journal;
        }
    }

    /**
     * Appends {@code event}; {@code false} if its id is one this journal remembers. Returns once
     * the record is written to the file; the event reaches the inbox table shortly after.
     */
    boolean append(InboxEvent event, boolean supersede) {
        byte[] record = encode(event, supersede);
        lock.lock();
        try {
            refuseIfClosed();
            refuseWhileBehind(); // may wait, letting the lock go: the checks below come after
            if (known(event.id())) {
                return false;
            }
            if (afterSiblings()) { // it let the lock go: check again
                refuseIfClosed();
                if (known(event.id())) {
                    return false;
                }
            }
            Segment s = segmentFor(record.length);
            write(s, record);
            pending.addLast(new Pending(new Entry(event, supersede), s, ++appended));
            siblings.pendingIds.add(event.id());
            s.unmoved++;
            work.signal();
            if (pending.size() == LINGER_BELOW) {
                hurry.signal(); // enough gathered: the mover need not wait out the linger
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** With the lock held: waits for room behind the mover; refuses while moves fail. */
    private void refuseWhileBehind() {
        long nanos = ROOM_WAIT.toNanos();
        try {
            while (failing == null && !closed && pending.size() >= MAX_PENDING && nanos > 0) {
                nanos = room.awaitNanos(nanos);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (failing != null) {
            throw new StoreException(failing.getMessage(), failing);
        }
        refuseIfClosed();
        if (pending.size() >= MAX_PENDING) {
            throw new StoreException("SQLite: add inbox event failed: " + pending.size()
                    + " events have waited " + ROOM_WAIT.toSeconds() + " s to be moved into "
                    + "the inbox");
        }
    }

    private void refuseIfClosed() {
        if (closed) {
            throw new StoreException("SQLite: add inbox event failed: the store is closed");
        }
    }

    /**
     * With the lock held: waits until the events that other instances of this store in this
     * process appended are moved. Why: each instance's mover moves its own journal, so an
     * event appended here after one appended there could reach the inbox table first, and a
     * newer event must supersede an older one of its key, not the other way round (two store
     * instances of one file happen in tests: {@code StoreConcurrencyContract}). A server has
     * one instance: nothing to wait for. {@code true} if it waited (the lock was let go).
     */
    private boolean afterSiblings() {
        if (siblings.journals.size() < 2) {
            return false;
        }
        long deadline = System.nanoTime() + READ_WAIT.toNanos();
        try {
            for (InboxJournal j : List.copyOf(siblings.journals)) {
                if (j != this && !j.awaitOwn(deadline)) {
                    throw new StoreException("SQLite: add inbox event failed: another instance "
                            + "of the store has not moved its events into the inbox in "
                            + READ_WAIT.toSeconds() + " s");
                }
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("SQLite: add inbox event failed: interrupted", e);
        }
    }

    /** With the lock held: an id appended and not moved yet, or moved lately, here or beside. */
    private boolean known(String id) {
        return siblings.pendingIds.contains(id) || siblings.movedIds.contains(id);
    }

    /** The file to append to: the spare (or a new one) when the current is full. */
    private Segment segmentFor(int length) {
        if (current != null && current.size + length > SEGMENT_BYTES) {
            close(current);
        }
        if (current == null) {
            current = spare != null ? spare : create(nextPath());
            spare = null;
        }
        return current;
    }

    /** With the lock held: no more appends to {@code s}; deleted once all of it is moved. */
    private void close(Segment s) {
        if (s == current) {
            current = null;
        }
        (s.unmoved == 0 ? retired : older).add(s);
    }

    private Path nextPath() {
        return dir.resolve(prefix + (segments++) + SUFFIX);
    }

    private Segment create(Path path) {
        try {
            FileChannel ch = FileChannel.open(path, StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE, StandardOpenOption.READ);
            ch.lock();
            return new Segment(path, ch);
        } catch (IOException e) {
            throw refused("cannot create " + path.getFileName(), e);
        }
    }

    /** Writes the whole record at the file's end, or none of it (the file is cut back). */
    private void write(Segment s, byte[] record) {
        ByteBuffer buf = ByteBuffer.wrap(record);
        long at = s.size;
        try {
            while (buf.hasRemaining()) {
                at += s.channel.write(buf, at);
            }
            s.size = at;
        } catch (IOException e) {
            try {
                s.channel.truncate(s.size);
            } catch (IOException ignored) {
                // the file ends in a torn record, which recovery stops at; nothing is lost
            }
            throw refused("cannot write " + s.path.getFileName(), e);
        }
    }

    private StoreException refused(String what, IOException e) {
        StoreException failed = new StoreException("SQLite: add inbox event failed: the inbox "
                + "journal " + what + ": " + e.getMessage(), e);
        if (String.valueOf(e.getMessage()).contains("No space left")) {
            diskFull.note(failed.getMessage());
        }
        return failed;
    }

    /**
     * Waits until every event appended before this call is in the inbox table, at most
     * {@code max}; {@code true} if it is.
     */
    boolean awaitMoved(Duration max) {
        lock.lock();
        try {
            long deadline = System.nanoTime() + max.toNanos();
            boolean all = true;
            for (InboxJournal j : List.copyOf(siblings.journals)) {
                all &= j.awaitOwn(deadline);
            }
            return all;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            lock.unlock();
        }
    }

    /** With the lock held: waits for this journal's appends so far, until {@code deadline}. */
    private boolean awaitOwn(long deadline) throws InterruptedException {
        long target = appended;
        while (movedCount < target && !closed && failing == null) {
            long nanos = deadline - System.nanoTime();
            if (nanos <= 0) {
                return false;
            }
            hurried = true;
            hurry.signal();
            moved.awaitNanos(nanos);
        }
        return movedCount >= target;
    }

    /** Appended events found in the inbox when moved: redeliveries older than the memory. */
    long lateDuplicates() {
        lock.lock();
        try {
            return lateDuplicates;
        } finally {
            lock.unlock();
        }
    }

    /** The last append refused for lack of space, if within {@code within}. */
    Optional<String> diskFullWithin(Duration within) {
        return diskFull.within(within);
    }

    private void moveLoop() {
        Duration retry = RETRY_FIRST;
        while (true) {
            tidyFiles();
            List<Pending> batch = nextBatch();
            if (batch.isEmpty()) {
                if (finished()) {
                    return;
                }
                continue; // idle: a file was closed, for tidyFiles to delete
            }
            try {
                List<Boolean> added = mover.move(batch.stream().map(Pending::entry).toList());
                done(batch, added);
                retry = RETRY_FIRST;
            } catch (RuntimeException e) {
                StoreException failure = e instanceof StoreException se ? se
                        : new StoreException("SQLite: add inbox events failed: " + e, e);
                if (!pause(failure, retry)) {
                    return;
                }
                retry = retry.multipliedBy(2).compareTo(RETRY_MOST) > 0 ? RETRY_MOST
                        : retry.multipliedBy(2);
            }
        }
    }

    /**
     * The oldest pending events, waiting for some; empty when closed with nothing left, when
     * interrupted, or after {@value #IDLE_MILLIS} ms idle with a file closed to be deleted.
     */
    private List<Pending> nextBatch() {
        lock.lock();
        try {
            while (pending.isEmpty()) {
                if (closed) {
                    return List.of();
                }
                if (!work.await(IDLE_MILLIS, TimeUnit.MILLISECONDS) && current != null
                        && current.unmoved == 0 && current.size > 0) {
                    close(current); // idle: a moved event does not wait in a file for days
                    return List.of();
                }
            }
            linger();
            List<Pending> batch = new ArrayList<>(Math.min(pending.size(), MAX_BATCH));
            for (Pending p : pending) {
                if (batch.size() == MAX_BATCH) {
                    break;
                }
                batch.add(p);
            }
            return batch;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        } finally {
            lock.unlock();
        }
    }

    /**
     * With the lock held (let go while waiting): waits up to the linger for events to gather
     * while fewer than {@value #LINGER_BELOW} are pending, no reader waits and the journal is
     * open. Appends end the wait only when they bring the pending events to {@value
     * #LINGER_BELOW} (the others signal {@code work}, which only an idle mover waits on), so
     * gathering costs them nothing.
     */
    private void linger() throws InterruptedException {
        long nanos = lingerNanos;
        while (nanos > 0 && pending.size() < LINGER_BELOW && !hurried && !closed) {
            nanos = hurry.awaitNanos(nanos);
        }
        hurried = false;
    }

    /** Whether the mover stops: closed with nothing left to move, or interrupted. */
    private boolean finished() {
        lock.lock();
        try {
            return (closed && pending.isEmpty()) || Thread.currentThread().isInterrupted();
        } finally {
            lock.unlock();
        }
    }

    private void done(List<Pending> batch, List<Boolean> added) {
        lock.lock();
        try {
            for (int i = 0; i < batch.size(); i++) {
                Pending p = pending.removeFirst();
                String id = p.entry().event().id();
                siblings.pendingIds.remove(id);
                remember(id);
                p.segment().unmoved--;
                if (!added.get(i)) {
                    lateDuplicates++;
                    log.info("webhook delivery {} was already in the inbox: not added again",
                            id);
                }
            }
            movedCount = batch.get(batch.size() - 1).number();
            if (failing != null) {
                log.info("the inbox journal moves events again");
                failing = null;
            }
            older.removeIf(s -> s.unmoved == 0 && retired.add(s));
            if (current != null && current.unmoved == 0 && current.size > EMPTY_PAST) {
                close(current);
            }
            moved.signalAll();
            room.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void remember(String id) {
        Set<String> ids = siblings.movedIds;
        ids.add(id);
        if (ids.size() > REMEMBERED) {
            ids.remove(ids.iterator().next());
        }
    }

    /**
     * Off the lock, on the mover's thread: deletes the files all moved and makes the next file
     * ready, so neither waits in an append.
     */
    private void tidyFiles() {
        List<Segment> done;
        Path sparePath = null;
        lock.lock();
        try {
            done = List.copyOf(retired);
            retired.clear();
            if (spare == null && !closed) {
                sparePath = nextPath();
            }
        } finally {
            lock.unlock();
        }
        done.forEach(InboxJournal::delete);
        Segment next = sparePath == null ? null : createQuietly(sparePath);
        if (next != null) {
            lock.lock();
            try {
                if (spare == null && !closed) {
                    spare = next;
                    next = null;
                }
            } finally {
                lock.unlock();
            }
            if (next != null) {
                delete(next);
            }
        }
    }

    private Segment createQuietly(Path path) {
        try {
            return create(path);
        } catch (StoreException e) {
            return null; // an append makes its file itself, and reports the failure
        }
    }

    private static void delete(Segment s) {
        try {
            s.channel.close(); // releases the lock
            Files.deleteIfExists(s.path);
        } catch (IOException e) {
            // all of it is moved; a next start moves it again, as duplicates
            log.warn("inbox journal {} could not be deleted: {}", s.path.getFileName(),
                    e.toString());
        }
    }

    /** Refuses appends while the move fails, and waits before trying again. */
    private boolean pause(StoreException failure, Duration retry) {
        lock.lock();
        try {
            if (failing == null) {
                log.warn("the inbox journal cannot move events into the inbox (retrying; new "
                        + "deliveries are refused meanwhile): {}", failure.getMessage());
            }
            failing = failure;
            moved.signalAll();
            room.signalAll();
            if (closed) {
                return false;
            }
            work.await(retry.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Moves what is left, at most {@code max}, then closes the files: deleted when all is
     * moved, else kept for the next start.
     */
    void close(Duration max) {
        lock.lock();
        try {
            closed = true;
            work.signalAll();
            room.signalAll();
            hurry.signal();
        } finally {
            lock.unlock();
        }
        try {
            thread.join(max.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (OPEN) {
            lock.lock();
            try {
                closeFiles();
                siblings.journals.remove(this);
                if (siblings.journals.isEmpty()) {
                    OPEN.remove(storeFile);
                }
            } finally {
                lock.unlock();
            }
        }
    }

    /** With the lock held: deletes the files all moved, keeps the others for the next start. */
    private void closeFiles() {
        List<Segment> all = new ArrayList<>(older);
        all.addAll(retired);
        if (current != null) {
            all.add(current);
        }
        if (spare != null) {
            all.add(spare);
        }
        for (Segment s : all) {
            if (s.unmoved == 0) {
                delete(s);
            } else {
                closeQuietly(s);
                log.warn("inbox journal {} keeps {} events not yet in the inbox; the next "
                        + "start moves them", s.path.getFileName(), s.unmoved);
            }
        }
        older.clear();
        retired.clear();
        current = null;
        spare = null;
        for (Pending p : pending) {
            siblings.pendingIds.remove(p.entry().event().id());
        }
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(10));
    }

    private static void closeQuietly(Segment s) {
        try {
            s.channel.close();
        } catch (IOException ignored) {
            // the lock goes with the process anyway
        }
    }

    // --- the file format ---------------------------------------------------------------------

    static byte[] encode(InboxEvent e, boolean supersede) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(HEADER + 128
                + e.payload().length() * 2);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(MAGIC);
            out.writeInt(0); // length, set below
            out.writeInt(0); // CRC-32C, set below
            writeText(out, e.id());
            writeText(out, e.orderingKey());
            writeText(out, e.kind());
            writeText(out, e.payload());
            out.writeLong(e.receivedAt().toEpochMilli());
            out.writeBoolean(supersede);
        } catch (IOException impossible) {
            throw new IllegalStateException(impossible);
        }
        byte[] record = bytes.toByteArray();
        int length = record.length - HEADER;
        CRC32C crc = new CRC32C();
        crc.update(record, HEADER, length);
        ByteBuffer.wrap(record).putInt(4, length).putInt(8, (int) crc.getValue());
        return record;
    }

    private static void writeText(DataOutputStream out, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    /**
     * The whole records of a journal, in order; reading stops at the first record cut short or
     * not matching its checksum (a write a power loss interrupted: it was never answered).
     */
    static List<Entry> read(InputStream in) throws IOException {
        DataInputStream data = new DataInputStream(in);
        List<Entry> entries = new ArrayList<>();
        while (true) {
            byte[] header = new byte[HEADER];
            int n = data.readNBytes(header, 0, HEADER);
            if (n < HEADER) {
                return entries;
            }
            ByteBuffer h = ByteBuffer.wrap(header);
            int length = h.getInt(4);
            if (h.getInt(0) != MAGIC || length < 0 || length > (64 << 20)) {
                return entries;
            }
            byte[] body = data.readNBytes(length);
            CRC32C crc = new CRC32C();
            crc.update(body);
            if (body.length < length || (int) crc.getValue() != h.getInt(8)) {
                return entries;
            }
            entries.add(decode(body));
        }
    }

    private static Entry decode(byte[] body) throws IOException {
        DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(body));
        try {
            String id = readText(in);
            String key = readText(in);
            String kind = readText(in);
            String payload = readText(in);
            Instant at = Instant.ofEpochMilli(in.readLong());
            return new Entry(new InboxEvent(id, key, kind, payload, at), in.readBoolean());
        } catch (EOFException | IllegalArgumentException e) {
            throw new IOException("a record whose checksum matches does not decode: " + e, e);
        }
    }

    private static String readText(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0) {
            throw new IOException("negative text length " + n);
        }
        return new String(in.readNBytes(n), StandardCharsets.UTF_8);
    }

    // --- recovery ----------------------------------------------------------------------------

    /**
     * Moves the journals beside the store whose lock is free (their process stopped); the ids
     * moved.
     */
    private static List<String> recover(Path dir, String base, Mover mover) {
        List<Path> left = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, base + "*" + SUFFIX)) {
            files.forEach(left::add);
        } catch (IOException e) {
            throw new StoreException("cannot list the inbox journals in " + dir + ": " + e, e);
        }
        left.sort(WRITTEN_ORDER);
        List<String> ids = new ArrayList<>();
        for (Path p : left) {
            ids.addAll(recoverOne(p, mover));
        }
        return ids;
    }

    /**
     * Journals in the order written: by their name up to the file number (the store's name,
     * the instance's start in milliseconds, its random part), then by the number.
     */
    private static final Comparator<Path> WRITTEN_ORDER = Comparator
            .comparing((Path p) -> stem(p)).thenComparingLong(InboxJournal::number);

    private static String stem(Path p) {
        String name = p.getFileName().toString();
        return name.substring(0, Math.max(0, name.lastIndexOf('-')));
    }

    private static long number(Path p) {
        String name = p.getFileName().toString();
        try {
            return Long.parseLong(name.substring(name.lastIndexOf('-') + 1,
                    name.length() - SUFFIX.length()));
        } catch (NumberFormatException | IndexOutOfBoundsException e) {
            return -1;
        }
    }

    private static List<String> recoverOne(Path p, Mover mover) {
        List<Entry> entries;
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ,
                StandardOpenOption.WRITE)) {
            FileLock held;
            try {
                held = ch.tryLock();
            } catch (OverlappingFileLockException inThisProcess) {
                return List.of(); // another open store instance in this process writes it
            }
            if (held == null) {
                return List.of(); // another process writes it
            }
            entries = read(java.nio.channels.Channels.newInputStream(ch));
            for (int i = 0; i < entries.size(); i += MAX_BATCH) {
                mover.move(entries.subList(i, Math.min(entries.size(), i + MAX_BATCH)));
            }
            if (!entries.isEmpty()) {
                log.info("moved {} webhook events left in {} into the inbox", entries.size(),
                        p.getFileName());
            }
        } catch (IOException e) {
            throw new StoreException("cannot read the inbox journal " + p + " (kept; remove it "
                    + "only if losing the deliveries it holds is acceptable): " + e, e);
        }
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            throw new StoreException("cannot delete the moved inbox journal " + p + ": " + e, e);
        }
        return entries.stream().map(e -> e.event().id()).toList();
    }
}
