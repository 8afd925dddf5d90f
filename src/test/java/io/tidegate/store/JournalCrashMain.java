package io.tidegate.store;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Instant;

/**
 * A test-only process for {@link InboxJournalTest}: opens the SQLite store in {@code args[0]},
 * takes SQLite's write lock from a connection of its own (so the journal's moves wait for it),
 * adds {@code args[1]} webhook events through {@link Store#acceptDelivery}, prints
 * {@code appended} and waits to be killed. Every event it added is then only in its journal.
 */
public final class JournalCrashMain {
    private JournalCrashMain() {}

    public static void main(String[] args) throws Exception {
        Path data = Path.of(args[0]);
        int events = Integer.parseInt(args[1]);
        Store store = SqliteStore.openIn(data);
        Connection blocker = DriverManager.getConnection("jdbc:sqlite:"
                + data.resolve(SqliteStore.FILE_NAME).toAbsolutePath());
        try (Statement st = blocker.createStatement()) {
            st.execute("BEGIN IMMEDIATE");
        }
        for (int i = 0; i < events; i++) {
            boolean added = store.acceptDelivery(new InboxEvent("crash-" + i, "acme/infra#"
                    + (i % 3), "issue_comment", "{\"n\":" + i + "}", Instant.now()), false);
            if (!added) {
                throw new IllegalStateException("crash-" + i + " was not added");
            }
        }
        System.out.println("appended " + events);
        System.out.flush();
        Thread.sleep(120_000); // killed long before
    }
}
