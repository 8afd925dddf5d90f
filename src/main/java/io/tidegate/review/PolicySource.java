package io.tidegate.review;

import io.tidegate.policy.PolicySet;

/**
 * Where the running server gets its policy. Implementations keep the last good policy when the
 * file is replaced by an invalid one (and report not-ready), so a bad edit never fails open.
 * Must be safe for concurrent use.
 */
@FunctionalInterface
public interface PolicySource {
    PolicySet current();

    /** A fixed policy, for tests and the CLI. */
    static PolicySource of(PolicySet policy) {
        return () -> policy;
    }
}
