package io.tidegate.wiring;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import io.tidegate.health.Readiness.Check;
import io.tidegate.store.DeliveryStore;
import io.tidegate.store.Store;
import org.junit.jupiter.api.Test;

/** The store's readiness: a probe write, and no write refused for lack of space lately. */
class StoreReadinessTest {
    private final AtomicReference<Optional<String>> refused =
            new AtomicReference<>(Optional.empty());

    /** A store whose probe write succeeds (a small write can on a full disk). */
    private Store store() {
        DeliveryStore deliveries = (DeliveryStore) Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {DeliveryStore.class},
                (proxy, method, args) -> method.getName().equals("markSeen") ? Boolean.TRUE
                        : null);
        return (Store) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {Store.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "describe" -> "sqlite /data/tidegate.db";
                    case "deliveries" -> deliveries;
                    case "writesRefusedWithin" -> {
                        assertThat(args[0]).isEqualTo(StoreReadiness.REFUSALS_SEEN);
                        yield refused.get();
                    }
                    default -> null; // ping
                });
    }

    @Test
    void aStoreThatTakesTheProbeButRefusedADeliveryForLackOfSpaceIsNotReadyNamingWhy() {
        refused.set(Optional.of("SQLite: accept delivery failed: [SQLITE_FULL] database or disk"
                + " is full"));

        Check check = new StoreReadiness(store(), Clock.fixed(Instant.EPOCH, ZoneOffset.UTC))
                .check();

        assertThat(check.ready()).isFalse();
        assertThat(check.detail()).isEqualTo("sqlite /data/tidegate.db does not take writes: "
                + "SQLite: accept delivery failed: [SQLITE_FULL] database or disk is full");
    }

    @Test
    void aStoreThatRefusedNothingLatelyIsReady() {
        Check check = new StoreReadiness(store(), Clock.fixed(Instant.EPOCH, ZoneOffset.UTC))
                .check();

        assertThat(check.ready()).isTrue();
        assertThat(check.detail()).isEqualTo("sqlite /data/tidegate.db takes writes");
        assertThat(StoreReadiness.REFUSALS_SEEN).isGreaterThan(StoreReadiness.EVERY);
    }

    @Test
    void readinessComesBackOnceNoWriteWasRefusedLately() {
        MutableClock clock = new MutableClock();
        StoreReadiness readiness = new StoreReadiness(store(), clock);
        refused.set(Optional.of("SQLite: x failed: [SQLITE_FULL]"));
        assertThat(readiness.check().ready()).isFalse();

        refused.set(Optional.empty()); // the store saw no refusal within REFUSALS_SEEN
        clock.now = clock.now.plus(StoreReadiness.EVERY).plus(Duration.ofMillis(1));

        assertThat(readiness.check().ready()).isTrue();
    }

    private static final class MutableClock extends Clock {
        Instant now = Instant.EPOCH;

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
