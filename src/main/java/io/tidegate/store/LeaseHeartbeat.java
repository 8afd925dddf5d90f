package io.tidegate.store;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiPredicate;

import io.tidegate.lifecycle.PeriodicJob;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the leases of the claims a worker holds alive: every quarter lease it renews each held
 * claim to {@code now + lease}. Leases can then be short (another replica takes a dead worker's
 * claims over one lease after its last heartbeat) while a slow handler or GitHub call keeps its
 * claim as long as it runs. The contract the inbox and the outbox share: claim with a lease,
 * renew while working ({@code renew} answers {@code false} once the claim is stale), finish.
 *
 * @param <C> the claim type
 */
final class LeaseHeartbeat<C> implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LeaseHeartbeat.class);

    private final Map<C, Boolean> held = new ConcurrentHashMap<>();
    private final BiPredicate<C, Instant> renew;
    private final Clock clock;
    private final Duration lease;
    private final PeriodicJob timer;

    LeaseHeartbeat(String name, BiPredicate<C, Instant> renew, Clock clock, Duration lease) {
        this.renew = renew;
        this.clock = clock;
        this.lease = lease;
        Duration every = Duration.ofMillis(Math.max(1, lease.toMillis() / 4));
        this.timer = PeriodicJob.every(name + "-heartbeat", every, every, this::beat);
        timer.start();
    }

    /** Renews {@code claim} until {@link #release} (or the claim turns out stale). */
    void hold(C claim) {
        held.put(claim, Boolean.TRUE);
    }

    void release(C claim) {
        held.remove(claim);
    }

    private void beat() {
        Instant until = clock.instant().plus(lease);
        for (C claim : held.keySet()) {
            try {
                if (!renew.test(claim, until)) {
                    held.remove(claim); // taken over or finished: nothing left to keep
                }
            } catch (RuntimeException e) {
                // the store failed: the next beat tries again, within the lease
                log.warn("lease renewal failed: {}", e.toString());
            }
        }
    }

    @Override
    public void close() {
        timer.stop(Duration.ZERO);
    }
}
