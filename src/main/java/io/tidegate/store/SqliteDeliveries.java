package io.tidegate.store;

import java.time.Instant;

/**
 * Delivery ids in SQLite: an upsert that only overwrites an expired id. A delivery taken into
 * the inbox is marked by its inbox row instead ({@link SqliteStore#acceptDelivery}), so an id
 * the inbox holds is seen too, once the inbox's journal has moved it (waited for first).
 */
final class SqliteDeliveries implements DeliveryStore {
    private static final String IN_INBOX = "SELECT 1 FROM inbox WHERE id = ?";
    /** Parameters: id, expires_at, now. */
    private static final String MARK_SEEN = "INSERT INTO deliveries (id, expires_at) VALUES (?, ?) "
            + "ON CONFLICT (id) DO UPDATE SET expires_at = excluded.expires_at "
            + "WHERE deliveries.expires_at <= ?";

    private final SqliteDb db;
    private final SqliteInbox inbox;

    SqliteDeliveries(SqliteDb db, SqliteInbox inbox) {
        this.db = db;
        this.inbox = inbox;
    }

    @Override
    public boolean markSeen(String deliveryId, Instant now) {
        inbox.awaitAdds();
        return db.write("mark delivery seen", c -> {
            if (SqliteDb.one(c, IN_INBOX, rs -> true, deliveryId).isPresent()) {
                return false;
            }
            return SqliteDb.update(c, MARK_SEEN, deliveryId,
                    now.plus(Retention.DELIVERIES), now) == 1;
        });
    }
}
