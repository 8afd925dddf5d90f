package io.tidegate.store;

/**
 * The audit and the policy versions of an existing store, opened read-only for the command
 * line ({@code tidegate replay}, {@code what-if}, {@code audit export}): it never creates,
 * migrates or writes anything, so it may run with read-only credentials against production.
 */
public interface AuditArchive extends AutoCloseable {
    AuditLog log();

    PolicyVersionStore policyVersions();

    /** Engine and location, never a credential. */
    String describe();

    @Override
    void close();
}
