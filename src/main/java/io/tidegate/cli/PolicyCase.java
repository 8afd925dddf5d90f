package io.tidegate.cli;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import io.tidegate.decision.Facts;

/**
 * One described situation from a policy test file or a {@code simulate --case} file: the facts,
 * the moment, and (in tests) what the policy must conclude.
 *
 * @param policy the policy file the case names (resolved against the case file), if any
 */
record PolicyCase(String name, Optional<Instant> at, Facts facts, Optional<Expectation> expect,
        Optional<Path> policy) {
    PolicyCase {
        Objects.requireNonNull(name, "name == null");
        Objects.requireNonNull(at, "at == null");
        Objects.requireNonNull(facts, "facts == null");
        Objects.requireNonNull(expect, "expect == null");
        Objects.requireNonNull(policy, "policy == null");
    }

    /**
     * What a case expects: the decision, codes that must be present and codes that must not.
     */
    record Expectation(boolean allow, List<String> reasons, List<String> absent) {
        Expectation {
            reasons = List.copyOf(reasons);
            absent = List.copyOf(absent);
        }
    }
}
