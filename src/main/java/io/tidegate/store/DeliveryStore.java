package io.tidegate.store;

import java.time.Instant;

/**
 * GitHub delivery ids already accepted ({@code X-GitHub-Delivery}), so a redelivered webhook is
 * acknowledged without being processed twice. Ids are kept for {@link Retention#DELIVERIES}.
 *
 * <p>For events that go to the inbox, {@link InboxStore#add} with the delivery id as event id
 * already deduplicates. Mark a delivery seen only after its event is durably added: marking
 * first and crashing before the add would make GitHub's redelivery look like a duplicate.
 */
public interface DeliveryStore {
    /**
     * Records the id and answers whether this is its first sighting. Atomic: when several
     * threads or replicas race with the same id, exactly one gets {@code true}.
     */
    boolean markSeen(String deliveryId, Instant now);
}
