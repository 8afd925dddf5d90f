package io.tidegate.store;

import java.util.Objects;
import java.util.Optional;

/** What the store knows about one inbox event. */
public record InboxStatus(String id, InboxState state, int attempts, Optional<String> lastError) {
    public InboxStatus {
        Objects.requireNonNull(id, "id == null");
        Objects.requireNonNull(state, "state == null");
        Objects.requireNonNull(lastError, "lastError == null");
    }
}
