package io.tidegate.store;

import java.time.Instant;
import java.util.Objects;

import io.tidegate.decision.Lock;

/** A deployment lock on one environment, held by {@code owner} until {@code expiresAt}. */
public record HeldLock(String environment, String owner, Instant acquiredAt, Instant expiresAt) {
    public HeldLock {
        Objects.requireNonNull(environment, "environment == null");
        Objects.requireNonNull(owner, "owner == null");
        Objects.requireNonNull(acquiredAt, "acquiredAt == null");
        Objects.requireNonNull(expiresAt, "expiresAt == null");
    }

    public boolean isExpired(Instant now) {
        return !now.isBefore(expiresAt);
    }

    /** The fact the decision engine reads. */
    public Lock toDecisionLock() {
        return new Lock(environment, owner);
    }
}
