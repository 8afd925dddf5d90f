package io.tidegate.store;

import java.time.Instant;
import java.util.Objects;

import io.tidegate.decision.Override;

/** An emergency override given on a PR for one environment, valid until {@code expiresAt}. */
public record OverrideRecord(String repo, int pr, String environment, Override override,
        Instant expiresAt) {
    public OverrideRecord {
        Objects.requireNonNull(repo, "repo == null");
        Objects.requireNonNull(environment, "environment == null");
        Objects.requireNonNull(override, "override == null");
        Objects.requireNonNull(expiresAt, "expiresAt == null");
    }

    public boolean isActive(Instant now) {
        return now.isBefore(expiresAt);
    }
}
