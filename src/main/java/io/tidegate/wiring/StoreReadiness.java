package io.tidegate.wiring;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

import io.tidegate.health.Readiness;
import io.tidegate.logging.SecretRedactor;
import io.tidegate.store.Store;
import io.tidegate.store.StoreException;

/**
 * Ready when the store takes a write: a read can succeed on a full disk or a damaged database
 * while every webhook is refused, so the probe writes. It marks a probe id seen in the delivery
 * store (a one-row write both engines already make for every webhook; kept for
 * {@code Retention.DELIVERIES} like any delivery), at most once per {@link #EVERY}: the id
 * changes every {@link #EVERY}, so each probe is a real insert, and between probes the last
 * outcome is answered. A store that refused any write for lack of space in the last
 * {@link #REFUSALS_SEEN} is not ready either. The 503 names the store ({@link Store#describe()}).
 */
final class StoreReadiness implements Readiness {
    static final Duration EVERY = Duration.ofSeconds(10);
    /**
     * How long a write refused for lack of space keeps the store not ready, though the probe's
     * own small write succeeds: on a full disk SQLite may take it while refusing every
     * delivery. Ready again once no write has been refused for this long.
     */
    static final Duration REFUSALS_SEEN = Duration.ofSeconds(30);

    private final Store store;
    private final Clock clock;
    private Instant probedAt = Instant.MIN;
    private Check last;

    StoreReadiness(Store store, Clock clock) {
        this.store = Objects.requireNonNull(store, "store == null");
        this.clock = Objects.requireNonNull(clock, "clock == null");
    }

    @Override
    public synchronized Check check() {
        Instant now = clock.instant();
        if (last != null && now.isBefore(probedAt.plus(EVERY))) {
            return last;
        }
        last = probe(now);
        probedAt = now;
        return last;
    }

    private Check probe(Instant now) {
        try {
            store.ping();
            store.deliveries().markSeen("tidegate-readiness-probe-"
                    + now.getEpochSecond() / EVERY.toSeconds(), now);
            Optional<String> refused = store.writesRefusedWithin(REFUSALS_SEEN);
            if (refused.isPresent()) {
                return refusing(SecretRedactor.redact(refused.get()));
            }
            return Check.ready("store", store.describe() + " takes writes");
        } catch (StoreException e) {
            return refusing(SecretRedactor.redact(String.valueOf(e.getMessage())));
        } catch (RuntimeException e) {
            // a damaged database may fail in ways the store does not translate
            return refusing(e.getClass().getSimpleName());
        }
    }

    private Check refusing(String why) {
        return Check.failing("store", store.describe() + " does not take writes: " + why);
    }
}
