package io.tidegate.store;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;

/** Delivery ids in SQLite: an upsert that only overwrites an expired id. */
final class SqliteDeliveries implements DeliveryStore {
    /** Parameters: id, expires_at, now (see {@link #bindMarkSeen}). */
    static final String MARK_SEEN = "INSERT INTO deliveries (id, expires_at) VALUES (?, ?) "
            + "ON CONFLICT (id) DO UPDATE SET expires_at = excluded.expires_at "
            + "WHERE deliveries.expires_at <= ?";

    private final SqliteDb db;

    SqliteDeliveries(SqliteDb db) {
        this.db = db;
    }

    @Override
    public boolean markSeen(String deliveryId, Instant now) {
        return db.write("mark delivery seen", c -> {
            try (PreparedStatement st = c.prepareStatement(MARK_SEEN)) {
                bindMarkSeen(st, deliveryId, now);
                return st.executeUpdate() == 1;
            }
        });
    }

    static void bindMarkSeen(PreparedStatement st, String deliveryId, Instant now)
            throws SQLException {
        st.setString(1, deliveryId);
        st.setLong(2, now.plus(Retention.DELIVERIES).toEpochMilli());
        st.setLong(3, now.toEpochMilli());
    }
}
