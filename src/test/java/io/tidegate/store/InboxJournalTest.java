package io.tidegate.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The inbox's journal ({@link InboxJournal}): an add is answered once it is in the file, moved
 * into the inbox in order, found again after the process was killed, refused while the inbox
 * cannot be written, and a redelivery is never added twice.
 */
class InboxJournalTest {
    private static final Instant T0 = Instant.parse("2026-12-07T10:00:00Z");
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    private static InboxEvent event(String id, String key) {
        return new InboxEvent(id, key, "issue_comment", "{\"id\":\"" + id + "\",\"body\":\"é ✓\"}",
                T0);
    }

    private static List<Path> journals(Path in) throws IOException {
        try (Stream<Path> files = Files.list(in)) {
            return files.filter(p -> p.getFileName().toString().endsWith(InboxJournal.SUFFIX))
                    .toList();
        }
    }

    /** The journals holding records (the next file is made ready empty). */
    private static List<Path> written(Path in) throws IOException {
        List<Path> out = new ArrayList<>();
        for (Path p : journals(in)) {
            if (Files.size(p) > 0) {
                out.add(p);
            }
        }
        return out;
    }

    /** A journal whose moves wait while {@code hold} is set, recording the ids moved. */
    private InboxJournal heldJournal(AtomicBoolean hold, List<String> inbox) {
        return InboxJournal.open(dir.resolve("store.db"), batch -> {
            while (hold.get()) {
                Thread.onSpinWait();
            }
            batch.forEach(e -> inbox.add(e.event().id()));
            return batch.stream().map(e -> true).toList();
        });
    }

    @Test
    void anAddedEventCanBeReadAtOnceThroughTheInbox() {
        try (Store store = SqliteStore.openIn(dir)) {
            for (int i = 0; i < 300; i++) {
                assertThat(store.acceptDelivery(event("d" + i, "acme/infra#1"), true)).isTrue();
                // a read waits for the adds before it
                assertThat(store.inbox().status("d" + i)).isPresent();
            }
            assertThat(store.inbox().countPending()).isEqualTo(1);
        }
    }

    @Test
    void aRecordRoundTripsThroughTheFileFormat() throws IOException {
        InboxEvent e = new InboxEvent("d-1", "acme/infra#7", "pull_request",
                "{\"text\":\"ünïcødé \\u0000 and a long tail " + "x".repeat(70_000) + "\"}", T0);
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        file.write(InboxJournal.encode(e, true));
        file.write(InboxJournal.encode(event("d-2", "k"), false));
        List<InboxJournal.Entry> read = InboxJournal.read(
                new ByteArrayInputStream(file.toByteArray()));
        assertThat(read).containsExactly(new InboxJournal.Entry(e, true),
                new InboxJournal.Entry(event("d-2", "k"), false));
    }

    @Test
    void aRecordCutShortOrDamagedEndsTheJournalAndTheRecordsBeforeItAreKept() throws IOException {
        byte[] first = InboxJournal.encode(event("d-1", "k"), false);
        byte[] second = InboxJournal.encode(event("d-2", "k"), false);
        for (int cut = 1; cut < second.length; cut += 7) {
            byte[] file = new byte[first.length + cut];
            System.arraycopy(first, 0, file, 0, first.length);
            System.arraycopy(second, 0, file, first.length, cut);
            assertThat(InboxJournal.read(new ByteArrayInputStream(file))).as("cut at " + cut)
                    .extracting(en -> en.event().id()).containsExactly("d-1");
        }
        byte[] damaged = second.clone();
        damaged[damaged.length - 3] ^= 0x20; // a flipped bit in the payload: the CRC tells
        byte[] file = new byte[first.length + damaged.length];
        System.arraycopy(first, 0, file, 0, first.length);
        System.arraycopy(damaged, 0, file, first.length, damaged.length);
        assertThat(InboxJournal.read(new ByteArrayInputStream(file)))
                .extracting(en -> en.event().id()).containsExactly("d-1");
    }

    @Test
    void aJournalLeftBesideTheStoreIsMovedIntoTheInboxInOrderAtOpenAndDeleted()
            throws IOException {
        try (Store store = SqliteStore.openIn(dir)) {
            assertThat(store.inbox().countPending()).isZero();
        }
        // as a stopped process leaves it: two files of one instance, the second cut short
        Path first = dir.resolve("tidegate.db-inbox-1765100000000-abcd1234-0.journal");
        Path second = dir.resolve("tidegate.db-inbox-1765100000000-abcd1234-1.journal");
        ByteArrayOutputStream a = new ByteArrayOutputStream();
        a.write(InboxJournal.encode(event("c1", "acme/infra#1"), false));
        a.write(InboxJournal.encode(event("c2", "acme/infra#1"), false));
        Files.write(first, a.toByteArray());
        byte[] tail = InboxJournal.encode(event("c4", "acme/infra#1"), false);
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(InboxJournal.encode(event("c3", "acme/infra#1"), false));
        b.write(tail, 0, tail.length / 2);
        Files.write(second, b.toByteArray());

        try (Store store = SqliteStore.openIn(dir)) {
            assertThat(first).as("moved journals are deleted").doesNotExist();
            assertThat(second).doesNotExist();
            List<String> claimed = new ArrayList<>();
            Optional<InboxClaim> c;
            while ((c = store.inbox().claim("w", T0, Duration.ofMinutes(1))).isPresent()) {
                claimed.add(c.get().event().id());
                store.inbox().markProcessed(c.get(), T0);
            }
            assertThat(claimed).containsExactly("c1", "c2", "c3");
            assertThat(store.inbox().status("c4")).isEmpty();
        }
    }

    @Test
    void aKilledProcessLosesNoAddedEventTheNextOpenMovesItsJournal() throws Exception {
        Path data = dir.resolve("data");
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(javaBin, "-cp", System.getProperty("java.class.path"),
                JournalCrashMain.class.getName(), data.toString(), "200")
                .redirectErrorStream(true).start();
        // a deadline for the reads below: a process that hangs is killed, its output ends
        java.util.concurrent.CompletableFuture.delayedExecutor(60, TimeUnit.SECONDS)
                .execute(p::destroyForcibly);
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            StringBuilder seen = new StringBuilder();
            while ((line = out.readLine()) != null && !line.equals("appended 200")) {
                seen.append(line).append('\n');
            }
            assertThat(line).as("the process's output:\n" + seen).isEqualTo("appended 200");
            assertThat(written(data)).as("its events are in its journal").hasSize(1);
        } finally {
            p.destroyForcibly(); // SIGKILL: no shutdown, the moves were held by a write lock
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        try (Store store = SqliteStore.openIn(data)) {
            for (int i = 0; i < 200; i++) {
                assertThat(store.inbox().status("crash-" + i)).as("crash-" + i).isPresent();
            }
            assertThat(store.inbox().countPending()).isEqualTo(200);
            assertThat(store.acceptDelivery(event("crash-7", "acme/infra#1"), false))
                    .as("a redelivery of a recovered event is a duplicate").isFalse();
            assertThat(store.inbox().countPending()).isEqualTo(200);
        }
        assertThat(journals(data)).isEmpty();
    }

    @Test
    void aRedeliveryIsADuplicateWhileRememberedAndIsNeverAddedTwiceAfter() {
        try (SqliteStore store = SqliteStore.openIn(dir)) {
            assertThat(store.acceptDelivery(event("first", "acme/infra#1"), false)).isTrue();
            assertThat(store.acceptDelivery(event("first", "acme/infra#1"), false)).isFalse();
            assertThat(store.inbox().countPending()).isEqualTo(1);
            assertThat(store.acceptDelivery(event("first", "acme/infra#1"), false))
                    .as("moved, still remembered").isFalse();
            for (int i = 0; i < InboxJournal.REMEMBERED; i++) {
                store.acceptDelivery(event("other-" + i, "acme/infra#" + i), false);
            }
            assertThat(store.inbox().countPending()).isEqualTo(1 + InboxJournal.REMEMBERED);
            // forgotten by the journal: taken, then dropped by the inbox's unique id
            assertThat(store.acceptDelivery(event("first", "acme/infra#1"), false)).isTrue();
            assertThat(store.inbox().countPending()).isEqualTo(1 + InboxJournal.REMEMBERED);
            assertThat(store.inboxLateDuplicates()).isEqualTo(1);
        }
    }

    @Test
    void whileTheInboxCannotBeWrittenAddsAreRefusedAndTheEventsTakenAreMovedLater()
            throws Exception {
        AtomicBoolean broken = new AtomicBoolean(true);
        List<String> inbox = Collections.synchronizedList(new ArrayList<>());
        InboxJournal journal = InboxJournal.open(dir.resolve("store.db"), batch -> {
            if (broken.get()) {
                throw new StoreException("SQLite: add inbox events failed: [SQLITE_FULL]");
            }
            batch.forEach(e -> inbox.add(e.event().id()));
            return batch.stream().map(e -> true).toList();
        });
        List<String> taken = new ArrayList<>();
        try {
            // taken until the first move has failed, refused from then on
            int n = 0;
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (true) {
                assertThat(System.nanoTime() - deadline).as("refused within " + WAIT)
                        .isNegative();
                String id = "taken-" + n++;
                try {
                    assertThat(journal.append(event(id, "k"), false)).isTrue();
                    taken.add(id);
                } catch (StoreException refused) {
                    assertThat(refused).hasMessageContaining("SQLITE_FULL");
                    break;
                }
                Thread.sleep(1);
            }
            assertThat(taken).isNotEmpty();
            assertThatThrownBy(() -> journal.append(event("refused", "k"), false))
                    .isInstanceOf(StoreException.class).hasMessageContaining("SQLITE_FULL");
            assertThat(journal.awaitMoved(Duration.ofMillis(50))).isFalse();
            broken.set(false);
            io.tidegate.Poll.until("moved once the inbox takes writes",
                    () -> inbox.size() == taken.size());
            assertThat(journal.awaitMoved(WAIT)).isTrue();
            assertThat(inbox).containsExactlyElementsOf(taken);
            assertThat(journal.append(event("after", "k"), false)).isTrue();
            assertThat(journal.awaitMoved(WAIT)).isTrue();
            assertThat(inbox).endsWith("after").hasSize(taken.size() + 1);
        } finally {
            journal.close();
        }
        assertThat(journals(dir)).isEmpty();
    }

    @Test
    void anAppendBehindAFullBacklogWaitsForTheMoverInsteadOfBeingRefused() throws Exception {
        AtomicBoolean hold = new AtomicBoolean(true);
        List<String> inbox = Collections.synchronizedList(new ArrayList<>());
        InboxJournal journal = heldJournal(hold, inbox);
        java.util.concurrent.ExecutorService pool =
                java.util.concurrent.Executors.newSingleThreadExecutor();
        try {
            for (int i = 0; i < InboxJournal.MAX_PENDING; i++) {
                assertThat(journal.append(event("e" + i, "k"), false)).isTrue();
            }
            java.util.concurrent.Future<Boolean> behind = pool.submit(
                    () -> journal.append(event("behind", "k"), false));
            Thread.sleep(200);
            assertThat(behind).as("waits while the backlog is full").isNotDone();
            hold.set(false);
            assertThat(behind.get(10, TimeUnit.SECONDS)).isTrue();
            assertThat(journal.awaitMoved(WAIT)).isTrue();
            assertThat(inbox).hasSize(InboxJournal.MAX_PENDING + 1).endsWith("behind");
        } finally {
            hold.set(false);
            pool.shutdownNow();
            journal.close();
        }
    }

    /** A journal whose mover lingers a minute, recording each batch's ids. */
    private InboxJournal lingeringJournal(List<List<String>> batches) {
        return InboxJournal.open(dir.resolve("store.db"), batch -> {
            batches.add(batch.stream().map(e -> e.event().id()).toList());
            return batch.stream().map(e -> true).toList();
        }, Duration.ofMinutes(1));
    }

    @Test
    void fewPendingEventsAreGatheredIntoOneMoveUntilTheJournalCloses() {
        List<List<String>> batches = Collections.synchronizedList(new ArrayList<>());
        InboxJournal journal = lingeringJournal(batches);
        for (String id : List.of("a", "b", "c")) {
            assertThat(journal.append(event(id, "k"), false)).isTrue();
        }
        journal.close(); // cuts the linger short and moves what is there
        assertThat(batches).containsExactly(List.of("a", "b", "c"));
    }

    @Test
    void aReaderWaitingForItsAddsCutsTheLingerShort() {
        List<List<String>> batches = Collections.synchronizedList(new ArrayList<>());
        InboxJournal journal = lingeringJournal(batches);
        try {
            journal.append(event("mine", "k"), false);
            // without the cut a read would wait out the minute and give up after WAIT
            assertThat(journal.awaitMoved(WAIT)).isTrue();
            assertThat(batches).containsExactly(List.of("mine"));
        } finally {
            journal.close();
        }
    }

    @Test
    void aBacklogOfLingerBelowEventsIsMovedWithoutLingering() throws Exception {
        java.util.concurrent.CountDownLatch all =
                new java.util.concurrent.CountDownLatch(InboxJournal.LINGER_BELOW);
        InboxJournal journal = InboxJournal.open(dir.resolve("store.db"), batch -> {
            batch.forEach(e -> all.countDown());
            return batch.stream().map(e -> true).toList();
        }, Duration.ofMinutes(1));
        try {
            journal.append(event("e0", "k"), false);
            Thread.sleep(200); // the mover wakes for it and begins its minute's linger
            for (int i = 1; i < InboxJournal.LINGER_BELOW; i++) {
                journal.append(event("e" + i, "k"), false);
            }
            // nobody reads: only the backlog's size ends the minute's linger
            assertThat(all.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        } finally {
            journal.close();
        }
    }

    @Test
    void eventsNotMovedByCloseStayInTheJournalForTheNextOpen() throws IOException {
        Path file = dir.resolve("store.db");
        InboxJournal journal = InboxJournal.open(file, batch -> {
            throw new StoreException("SQLite: add inbox events failed: database is locked");
        });
        journal.append(event("kept", "k"), false);
        journal.close(Duration.ofMillis(200));
        assertThat(journals(dir)).as("the spare deleted, the one with the event kept").hasSize(1);

        List<String> moved = new ArrayList<>();
        InboxJournal next = InboxJournal.open(file, batch -> {
            batch.forEach(e -> moved.add(e.event().id()));
            return batch.stream().map(e -> true).toList();
        });
        next.close();
        assertThat(moved).containsExactly("kept");
        assertThat(journals(dir)).isEmpty();
    }

    @Test
    void aJournalThatCannotBeMovedAtOpenRefusesTheOpenAndIsKept() throws IOException {
        Path left = dir.resolve("store.db-inbox-1765100000000-abcd1234-0.journal");
        Files.write(left, InboxJournal.encode(event("kept", "k"), false));
        assertThatThrownBy(() -> InboxJournal.open(dir.resolve("store.db"), batch -> {
            throw new StoreException("SQLite: add inbox events failed: disk I/O error");
        })).isInstanceOf(StoreException.class).hasMessageContaining("disk I/O error");
        assertThat(left).exists();
    }

    @Test
    void aJournalStillOpenInAnotherInstanceIsNotTakenByAnOpen() throws IOException {
        Path file = dir.resolve("store.db");
        AtomicBoolean hold = new AtomicBoolean(true);
        InboxJournal first = heldJournal(hold, Collections.synchronizedList(new ArrayList<>()));
        try {
            first.append(event("a", "k"), false);
            List<String> movedBySecond = new ArrayList<>();
            InboxJournal second = InboxJournal.open(file, batch -> {
                batch.forEach(e -> movedBySecond.add(e.event().id()));
                return batch.stream().map(e -> true).toList();
            });
            try {
                assertThat(movedBySecond).isEmpty();
                assertThat(written(dir)).hasSize(1);
                assertThat(second.append(event("a", "k"), false))
                        .as("a duplicate across instances of one store").isFalse();
                assertThat(second.awaitMoved(Duration.ofMillis(50)))
                        .as("a read through the second waits for the first's events").isFalse();
                hold.set(false);
                assertThat(second.awaitMoved(WAIT)).isTrue();
            } finally {
                second.close();
            }
        } finally {
            hold.set(false);
            first.close();
        }
        assertThat(journals(dir)).isEmpty();
    }

    @Test
    void twoInstancesOfOneStoreAddARacedDeliveryOnceAndReadEachOthersAdds() throws Exception {
        try (SqliteStore first = SqliteStore.openIn(dir);
                SqliteStore second = SqliteStore.openIn(dir)) {
            // SQLite's write lock, held elsewhere: first's event stays in its journal
            try (Connection blocker = DriverManager.getConnection("jdbc:sqlite:"
                    + dir.resolve(SqliteStore.FILE_NAME).toAbsolutePath());
                    Statement st = blocker.createStatement()) {
                st.execute("BEGIN IMMEDIATE");
                assertThat(first.acceptDelivery(event("a", "k"), false)).isTrue();
                assertThat(second.acceptDelivery(event("a", "k"), false)).isFalse();
                st.execute("COMMIT");
            }
            assertThat(second.inbox().status("a")).as("read through the other instance")
                    .isPresent();
            assertThat(second.inbox().countPending()).isEqualTo(1);
        }
        assertThat(journals(dir)).isEmpty();
    }

    @Test
    void aFullJournalFileIsFollowedByANewOneAndDeletedOnceMoved() throws Exception {
        AtomicBoolean hold = new AtomicBoolean(true);
        List<String> inbox = Collections.synchronizedList(new ArrayList<>());
        InboxJournal journal = heldJournal(hold, inbox);
        try {
            String big = "x".repeat(100_000);
            int n = (int) (InboxJournal.SEGMENT_BYTES / big.length()) + 5;
            for (int i = 0; i < n; i++) {
                journal.append(new InboxEvent("big-" + i, "k", "x", big, T0), false);
            }
            assertThat(written(dir)).hasSize(2);
            hold.set(false);
            assertThat(journal.awaitMoved(WAIT)).isTrue();
            assertThat(inbox).hasSize(n).startsWith("big-0").endsWith("big-" + (n - 1));
            io.tidegate.Poll.until("the files are deleted once moved",
                    () -> written(dir).isEmpty());
        } finally {
            hold.set(false);
            journal.close();
        }
    }
}
