package io.tidegate.store;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The inbox in SQLite. {@code seq} (the largest present plus one) fixes the order events were
 * added; a claim is one write transaction that picks the head of a key and leases it. An add is
 * appended to the inbox's journal and moved into the table from there ({@link InboxJournal}),
 * so every read here first waits for the adds before it.
 */
final class SqliteInbox implements InboxStore {
    private static final String COLUMNS =
            "seq, id, ordering_key, kind, payload, received_at, attempts";

    private static final String INSERT = "INSERT INTO inbox (id, ordering_key, kind, payload, "
            + "received_at, state) VALUES (?, ?, ?, ?, ?, 'PENDING') ON CONFLICT (id) DO NOTHING";
    /** Only events no worker holds: a leased one finishes, then the new one runs after it. */
    static final String SUPERSEDE = "UPDATE inbox SET state = 'SUPERSEDED', "
            + "finished_at = ?, owner = NULL, lease_until = NULL WHERE ordering_key = ? "
            + "AND state = 'PENDING' AND id <> ? AND seq < (SELECT seq FROM inbox WHERE id = ?) "
            + "AND (owner IS NULL OR lease_until <= ?)";

    /**
     * The head of the oldest key whose head no worker holds. Here and in {@link #SUPERSEDE} and
     * {@link #COUNT_PENDING}, {@code state = 'PENDING'} is written as a literal: the inbox's
     * indexes hold pending events only (schema 9), and SQLite uses such a partial index only
     * for a statement that repeats its condition.
     */
    static final String CLAIM = "SELECT " + COLUMNS + " FROM inbox i "
            + "WHERE state = 'PENDING' AND (lease_until IS NULL OR lease_until <= ?) "
            + "AND NOT EXISTS (SELECT 1 FROM inbox j WHERE j.ordering_key = "
            + "i.ordering_key AND j.state = 'PENDING' AND j.seq < i.seq) "
            + "ORDER BY seq LIMIT 1";
    static final String COUNT_PENDING = "SELECT count(*) FROM inbox WHERE state = 'PENDING'";

    private final SqliteDb db;
    private final SqliteLeases leases;
    private final InboxJournal journal;
    /** Prepared by the first batch; see {@link #prepared}. */
    private Statements statements;

    /**
     * Moves the journals a stopped process left beside {@code storeFile} into the table
     * ({@link InboxJournal#open}) and starts this instance's.
     */
    SqliteInbox(SqliteDb db, Path storeFile) {
        this.db = db;
        this.leases = new SqliteLeases(db, new SqliteLeases.Table("inbox", "id", "lease_until",
                true, "inbox event"));
        this.journal = InboxJournal.open(storeFile, this::move);
    }

    /**
     * Returns once the event is in the inbox's journal ({@link InboxJournal#append}), or throws
     * the {@link StoreException} that refused it. The row is also the delivery's mark:
     * {@link SqliteDeliveries} reads it (see {@link SqliteStore#acceptDelivery}).
     */
    @Override
    public boolean add(InboxEvent e, boolean supersedeQueued) {
        return journal.append(e, supersedeQueued);
    }

    /** The journal's batches, in one transaction each. */
    private List<Boolean> move(List<InboxJournal.Entry> batch) {
        return db.write("add inbox events", c -> insertAll(c, batch));
    }

    /** Waits, briefly, until the adds before this read are in the table. */
    void awaitAdds() {
        journal.awaitMoved(InboxJournal.READ_WAIT);
    }

    /** Adds the journal took and the table then found already there, see the journal. */
    long lateDuplicates() {
        return journal.lateDuplicates();
    }

    /** An append refused for lack of space lately, for readiness. */
    Optional<String> journalFullWithin(Duration within) {
        return journal.diskFullWithin(within);
    }

    /** Moves the adds already appended (a while at most), then stops; later adds fail. */
    void close() {
        journal.close();
        // The writer is gone (joined), so its statements are ours to close, before the connection.
        if (statements != null) {
            db.onWriter("close inbox statements", c -> {
                forgetStatements();
                return null;
            });
        }
    }

    /**
     * Adds a batch in order. Superseding is done once per key, by the batch's last inserted
     * event that supersedes: the end state is the one adding them one by one gives (every older
     * pending event of the key superseded, the events after it left pending), with one UPDATE per
     * key instead of one per event; a burst of deliveries for one PR is the common batch.
     */
    private List<Boolean> insertAll(Connection c, List<InboxJournal.Entry> batch)
            throws SQLException {
        try {
            return insertAll(prepared(c), batch);
        } catch (SQLException | RuntimeException e) {
            // The next batch prepares afresh rather than reuse statements a failure left behind.
            forgetStatements();
            throw e;
        }
    }

    private static List<Boolean> insertAll(Statements st, List<InboxJournal.Entry> batch)
            throws SQLException {
        List<Boolean> added = new ArrayList<>(batch.size());
        Map<String, InboxEvent> lastSuperseding = new LinkedHashMap<>();
        for (InboxJournal.Entry p : batch) {
            InboxEvent e = p.event();
            st.insert().setString(1, e.id());
            st.insert().setString(2, e.orderingKey());
            st.insert().setString(3, e.kind());
            st.insert().setString(4, e.payload());
            st.insert().setLong(5, e.receivedAt().toEpochMilli());
            boolean inserted = st.insert().executeUpdate() == 1;
            if (inserted && p.supersede()) {
                lastSuperseding.put(e.orderingKey(), e);
            }
            added.add(inserted);
        }
        for (InboxEvent e : lastSuperseding.values()) {
            supersedeOlder(st.supersede(), e);
        }
        return added;
    }

    /**
     * The adds' statements, prepared once: preparing them for every batch was a fifth of the
     * writer thread's time. Used only with the connection's lock held (inside a write), by the
     * journal's thread (or, at open, the thread moving a stopped process's journal).
     */
    private record Statements(PreparedStatement insert, PreparedStatement supersede) {}

    private Statements prepared(Connection c) throws SQLException {
        if (statements == null) {
            statements = new Statements(c.prepareStatement(INSERT), c.prepareStatement(SUPERSEDE));
        }
        return statements;
    }

    private void forgetStatements() {
        Statements st = statements;
        statements = null;
        if (st != null) {
            SqliteStatements.closeQuietly(st.insert());
            SqliteStatements.closeQuietly(st.supersede());
        }
    }

    private static void supersedeOlder(PreparedStatement supersede, InboxEvent e)
            throws SQLException {
        long at = e.receivedAt().toEpochMilli();
        supersede.setLong(1, at);
        supersede.setString(2, e.orderingKey());
        supersede.setString(3, e.id());
        supersede.setString(4, e.id());
        supersede.setLong(5, at);
        supersede.executeUpdate();
    }

    @Override
    public Optional<InboxClaim> claim(String worker, Instant now, Duration lease) {
        Instant until = now.plus(lease);
        awaitAdds();
        return db.write("claim inbox event", c -> {
            Optional<InboxClaim> head = SqliteDb.one(c, CLAIM,
                    rs -> claimOf(rs, worker, until), now);
            if (head.isPresent()) {
                leases.take(c, head.get().event().id(), worker, until);
            }
            return head;
        });
    }

    private static InboxClaim claimOf(ResultSet rs, String worker, Instant until)
            throws SQLException {
        InboxEvent event = new InboxEvent(rs.getString("id"), rs.getString("ordering_key"),
                rs.getString("kind"), rs.getString("payload"),
                SqliteDb.instant(rs, "received_at"));
        return new InboxClaim(event, worker, rs.getInt("attempts") + 1, until);
    }

    @Override
    public Leases leases() {
        return leases;
    }

    @Override
    public Optional<InboxStatus> status(String id) {
        awaitAdds();
        return db.read("read inbox status", c -> SqliteDb.one(c,
                "SELECT id, state, attempts, last_error FROM inbox WHERE id = ?",
                rs -> new InboxStatus(rs.getString("id"),
                        InboxState.valueOf(rs.getString("state")), rs.getInt("attempts"),
                        Optional.ofNullable(rs.getString("last_error"))), id));
    }

    @Override
    public long countPending() {
        awaitAdds();
        return db.read("count inbox", c -> SqliteDb.one(c, COUNT_PENDING, rs -> rs.getLong(1))
                .orElse(0L));
    }
}
