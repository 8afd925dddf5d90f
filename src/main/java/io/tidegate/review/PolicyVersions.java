package io.tidegate.review;

import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import io.tidegate.policy.PolicySet;
import io.tidegate.store.PolicyVersion;
import io.tidegate.store.PolicyVersionStore;

/**
 * Makes sure the policy version a decision used is kept before the decision's audit row is
 * written, so every row names a version the store holds (replay needs its text). The server
 * also keeps each version when it loads it; this is the guarantee per decision, costing one
 * store write per version and process. Safe for concurrent use.
 */
public final class PolicyVersions {
    /** Keeps nothing: for tests and tools that decide with a policy that has no file. */
    public static final PolicyVersions NONE = new PolicyVersions(null, sha -> Optional.empty(),
            Clock.systemUTC());

    private final PolicyVersionStore store;
    private final Function<String, Optional<Map<String, String>>> files;
    private final Clock clock;
    private final Set<String> kept = ConcurrentHashMap.newKeySet();

    /**
     * @param files the files of a policy version by its hash, when known (the policy holder
     *              knows the one in force)
     */
    public PolicyVersions(PolicyVersionStore store,
            Function<String, Optional<Map<String, String>>> files, Clock clock) {
        this.store = store;
        this.files = Objects.requireNonNull(files, "files == null");
        this.clock = Objects.requireNonNull(clock, "clock == null");
    }

    /** Keeps the policy's version unless it is kept already (or has no file). */
    void keep(PolicySet policy) {
        String sha = policy.sha256();
        if (store == null || sha.equals(PolicySet.NO_POLICY) || kept.contains(sha)) {
            return;
        }
        Optional<Map<String, String>> text = files.apply(sha);
        if (text.isEmpty() || !PolicyVersion.hashOf(text.get()).equals(sha)) {
            return; // replaced since it decided: it was kept when it was loaded
        }
        store.keep(PolicyVersion.of(text.get(), clock.instant()));
        kept.add(sha);
    }
}
