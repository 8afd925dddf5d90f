import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.Arrays;

import org.sqlite.SQLiteConfig;

/**
 * The floor under intake at 1 connection: one INSERT of a webhook-sized row per transaction on
 * SQLite in WAL mode with synchronous=NORMAL (no fsync at commit, as Tidegate's store opens it),
 * on this disk, from one thread, with nothing else in the way but what the store also does: a
 * passive checkpoint every second from a second connection (SqliteCheckpointer) and the
 * 20,000-page automatic checkpoint as a backstop. Run with the jar on the class path:
 * java -cp target/tidegate.jar bench/WalCommit.java DIR SECONDS PAYLOAD_FILE
 * Prints: wal-commit commits_per_s=N p50_us=N p99_us=N
 */
public final class WalCommit {
    private static void checkpointEverySecond(Path dir) {
        try (Connection c = new SQLiteConfig().createConnection("jdbc:sqlite:"
                + dir.resolve("wal.db")); Statement st = c.createStatement()) {
            while (true) {
                Thread.sleep(1000);
                st.execute("PRAGMA wal_checkpoint(PASSIVE)");
            }
        } catch (Exception e) {
            // the benchmark ends with the JVM
        }
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        long seconds = Long.parseLong(args[1]);
        String payload = Files.readString(Path.of(args[2]));
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
        config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
        try (Connection c = config.createConnection("jdbc:sqlite:" + dir.resolve("wal.db"))) {
            try (Statement st = c.createStatement()) {
                st.execute("CREATE TABLE inbox (seq INTEGER PRIMARY KEY AUTOINCREMENT, "
                        + "id TEXT NOT NULL UNIQUE, ordering_key TEXT NOT NULL, "
                        + "payload TEXT NOT NULL, received_at INTEGER NOT NULL)");
                st.execute("CREATE INDEX inbox_key ON inbox (ordering_key, seq)");
            }
            try (Statement st = c.createStatement()) {
                st.execute("PRAGMA wal_autocheckpoint = 20000");
            }
            Thread checkpointer = new Thread(() -> checkpointEverySecond(dir), "checkpointer");
            checkpointer.setDaemon(true);
            checkpointer.start();
            c.setAutoCommit(false);
            PreparedStatement insert = c.prepareStatement("INSERT INTO inbox (id, ordering_key,"
                    + " payload, received_at) VALUES (?, 'acme/infra#42', ?, ?)");
            long[] lat = new long[4_000_000];
            int n = 0;
            long warmEnd = System.nanoTime() + 2_000_000_000L;
            long end = warmEnd + seconds * 1_000_000_000L;
            long i = 0;
            for (long now = System.nanoTime(); now < end; now = System.nanoTime()) {
                long t0 = System.nanoTime();
                insert.setString(1, "delivery-" + i++);
                insert.setString(2, payload);
                insert.setLong(3, System.currentTimeMillis());
                insert.executeUpdate();
                c.commit();
                long t = System.nanoTime() - t0;
                if (t0 >= warmEnd && n < lat.length) {
                    lat[n++] = t;
                }
            }
            Arrays.sort(lat, 0, n);
            System.out.printf("wal-commit commits_per_s=%d p50_us=%.0f p99_us=%.0f%n",
                    n / seconds, lat[n / 2] / 1000.0, lat[(int) (n * 0.99)] / 1000.0);
        }
    }
}
