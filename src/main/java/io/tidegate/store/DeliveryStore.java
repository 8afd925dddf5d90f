package io.tidegate.store;

import java.time.Instant;

/**
 * GitHub delivery ids already accepted ({@code X-GitHub-Delivery}), so a redelivered webhook is
 * acknowledged without being processed twice. Ids are kept for {@link Retention#DELIVERIES}.
 */
public interface DeliveryStore {
    /**
     * Records the id and answers whether this is its first sighting. Atomic: when several
     * threads or replicas race with the same id, exactly one gets {@code true}.
     */
    boolean markSeen(String deliveryId, Instant now);
}
