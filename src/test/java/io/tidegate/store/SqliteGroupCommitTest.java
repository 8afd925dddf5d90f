package io.tidegate.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The group commit the inbox and the audit share: every caller sees its own transaction. */
@Timeout(60) // a caller left waiting for a commit that never comes fails instead of hanging CI
class SqliteGroupCommitTest {
    @TempDir
    Path dir;
    SqliteDb db;
    SqliteGroupCommit<Integer, Integer> rows;
    ExecutorService pool = Executors.newFixedThreadPool(8);

    @BeforeEach
    void open() throws Exception {
        Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("t.db"));
        db = new SqliteDb(c);
        db.write("schema", x -> SqliteDb.update(x, "CREATE TABLE t (v INTEGER NOT NULL)"));
        // a negative value fails its whole batch, as a constraint or a full disk would
        rows = new SqliteGroupCommit<>(db, "add rows", "test-writer", (x, items) -> {
            List<Integer> out = new ArrayList<>();
            try (PreparedStatement st = x.prepareStatement("INSERT INTO t (v) VALUES (?)")) {
                for (int v : items) {
                    if (v < 0) {
                        throw new SQLException("refused " + v);
                    }
                    st.setInt(1, v);
                    st.executeUpdate();
                    out.add(v * 10);
                }
            }
            return out;
        }, SqliteGroupCommit.Inline.NEVER);
    }

    @AfterEach
    void close() throws Exception {
        pool.shutdownNow();
        pool.awaitTermination(10, TimeUnit.SECONDS);
        rows.close();
        db.close();
    }

    @Test
    void everyConcurrentCallerGetsItsOwnResultOnceItsRowIsCommitted() throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        List<Future<List<Integer>>> callers = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            int base = t * 1000;
            callers.add(pool.submit(() -> {
                go.await();
                List<Integer> got = new ArrayList<>();
                for (int i = 1; i <= 50; i++) {
                    got.add(rows.submit(base + i));
                    // committed before the call returned: a read, which waits for no batch, sees it
                    assertThat(count("v = " + (base + i))).isEqualTo(1);
                }
                return got;
            }));
        }
        go.countDown();
        for (int t = 0; t < 8; t++) {
            List<Integer> got = callers.get(t).get(60, TimeUnit.SECONDS);
            assertThat(got).hasSize(50).first().isEqualTo((t * 1000 + 1) * 10);
        }
        assertThat(count("1 = 1")).isEqualTo(400);
    }

    @Test
    void aFailedBatchFailsItsCallerAndStoresNothingOfIt() {
        assertThatThrownBy(() -> rows.submit(-1)).isInstanceOf(StoreException.class)
                .hasMessageContaining("SQLite: add rows failed: refused -1");
        assertThat(rows.submit(7)).isEqualTo(70); // the writer goes on
        assertThat(count("1 = 1")).isEqualTo(1);
    }

    @Test
    void aFailedInlineWriteFailsItsCallerToo() {
        SqliteGroupCommit<Integer, Integer> inline = new SqliteGroupCommit<>(db, "add inline",
                "inline-writer", (c, items) -> {
                    SqliteDb.update(c, "INSERT INTO t (v) VALUES (?)", items.get(0));
                    throw new SQLException("disk full");
                }, SqliteGroupCommit.Inline.WHEN_IDLE);
        try {
            assertThatThrownBy(() -> inline.submit(3)).isInstanceOf(StoreException.class)
                    .hasMessageContaining("SQLite: add inline failed: disk full");
            assertThat(count("1 = 1")).as("rolled back").isZero();
        } finally {
            inline.close();
        }
    }

    @Test
    void aCallInsideTheCallersOwnWriteJoinsThatTransactionInsteadOfDeadlocking() {
        assertThatThrownBy(() -> db.write("outer", c -> {
            assertThat(rows.submit(5)).isEqualTo(50);
            throw new SQLException("outer rolled back");
        })).hasMessageContaining("outer rolled back");
        assertThat(count("1 = 1")).as("the row went with the outer transaction").isZero();
        db.write("outer", c -> rows.submit(6));
        assertThat(count("v = 6")).isEqualTo(1);
    }

    @Test
    void aCallAfterCloseIsRefusedNotLeftWaiting() {
        rows.submit(1);
        rows.close();
        assertThatThrownBy(() -> rows.submit(2)).isInstanceOf(StoreException.class)
                .hasMessage("SQLite: add rows failed: the store is closed");
    }

    @Test
    void withInlineWhenIdleALoneCallWritesOnTheCallersThreadAndOtherwiseOnTheWriters() {
        List<String> threads = new java.util.concurrent.CopyOnWriteArrayList<>();
        SqliteGroupCommit.Batch<Integer, Integer> where = (c, items) -> {
            threads.add(Thread.currentThread().getName());
            return items;
        };
        SqliteGroupCommit<Integer, Integer> inline = new SqliteGroupCommit<>(db, "inline",
                "inline-writer", where, SqliteGroupCommit.Inline.WHEN_IDLE);
        SqliteGroupCommit<Integer, Integer> queued = new SqliteGroupCommit<>(db, "queued",
                "queued-writer", where, SqliteGroupCommit.Inline.NEVER);
        try {
            assertThat(inline.submit(1)).isEqualTo(1);
            assertThat(queued.submit(2)).isEqualTo(2);
            assertThat(threads).containsExactly(Thread.currentThread().getName(),
                    "queued-writer");
        } finally {
            inline.close();
            queued.close();
        }
    }

    @Test
    void aCommitNeverUsedStartsNoThread() {
        SqliteGroupCommit<Integer, Integer> unused = new SqliteGroupCommit<>(db, "unused",
                "unused-writer", (c, items) -> items, SqliteGroupCommit.Inline.NEVER);
        assertThat(Thread.getAllStackTraces().keySet()).extracting(Thread::getName)
                .doesNotContain("unused-writer");
        unused.close();
    }

    private long count(String where) {
        return db.read("count", c -> SqliteDb.one(c, "SELECT count(*) FROM t WHERE " + where,
                rs -> rs.getLong(1)).orElseThrow());
    }
}
