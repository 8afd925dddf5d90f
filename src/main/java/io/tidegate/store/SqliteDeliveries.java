package io.tidegate.store;

import java.time.Instant;

/** Delivery ids in SQLite: an upsert that only overwrites an expired id. */
final class SqliteDeliveries implements DeliveryStore {
    private final SqliteDb db;

    SqliteDeliveries(SqliteDb db) {
        this.db = db;
    }

    @Override
    public boolean markSeen(String deliveryId, Instant now) {
        return db.write("mark delivery seen", c -> SqliteDb.update(c,
                "INSERT INTO deliveries (id, expires_at) VALUES (?, ?) "
                        + "ON CONFLICT (id) DO UPDATE SET expires_at = excluded.expires_at "
                        + "WHERE deliveries.expires_at <= ?",
                deliveryId, now.plus(Retention.DELIVERIES), now) == 1);
    }
}
