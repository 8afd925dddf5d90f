package io.tidegate.store;

import java.util.Optional;

/**
 * Every policy version that decided, by its SHA-256 (the hex digits of an audit row's
 * {@code sha256:<hex>}). Kept as long as the audit rows naming it: forever, like them; nothing
 * here updates or deletes a version. Safe for concurrent use, also by several replicas keeping
 * the same version at once.
 */
public interface PolicyVersionStore {
    /** Keeps the version unless one with its hash is kept already; whether it was new. */
    boolean keep(PolicyVersion version);

    /** The version with this hash, its text checked against the hash. */
    Optional<PolicyVersion> find(String sha256);
}
