package io.tidegate.store;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.function.LongSupplier;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gauges {@code tidegate.outbox.depth} and {@code tidegate.inbox.depth}: how many effects
 * and events are not yet finished. Each count is cached for {@code maxAge}, so a scrape every
 * few seconds costs at most one COUNT query per table (a COUNT query on a sparse index in
 * DynamoDB, never a scan), however many scrapers there are. A failed count reads as NaN
 * ("unknown") until the next attempt, which also waits {@code maxAge}: a throttled table is
 * not hammered by the metrics endpoint.
 */
public final class StoreMetrics implements MeterBinder {
    private static final Logger log = LoggerFactory.getLogger(StoreMetrics.class);

    private final CachedCount outboxDepth;
    private final CachedCount inboxDepth;

    public StoreMetrics(Store store, Clock clock, Duration maxAge) {
        Objects.requireNonNull(store, "store == null");
        this.outboxDepth = new CachedCount("outbox", store.outbox()::countPending, clock, maxAge);
        this.inboxDepth = new CachedCount("inbox", store.inbox()::countPending, clock, maxAge);
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        // strong references: the registry would otherwise hold the counts weakly and lose them
        Gauge.builder("tidegate.outbox.depth", outboxDepth, CachedCount::value)
                .description("Effects not yet performed or given up (cached a few seconds)")
                .strongReference(true).register(registry);
        Gauge.builder("tidegate.inbox.depth", inboxDepth, CachedCount::value)
                .description("Inbox events not yet processed (cached a few seconds)")
                .strongReference(true).register(registry);
    }

    /** A count read at most once per {@code maxAge}; NaN after a failed read. */
    static final class CachedCount {
        private final String name;
        private final LongSupplier source;
        private final Clock clock;
        private final Duration maxAge;
        private Instant readAt;
        private double value = Double.NaN;

        CachedCount(String name, LongSupplier source, Clock clock, Duration maxAge) {
            this.name = Objects.requireNonNull(name, "name == null");
            this.source = Objects.requireNonNull(source, "source == null");
            this.clock = Objects.requireNonNull(clock, "clock == null");
            this.maxAge = Objects.requireNonNull(maxAge, "maxAge == null");
        }

        synchronized double value() {
            Instant now = clock.instant();
            if (readAt != null && now.isBefore(readAt.plus(maxAge))) {
                return value;
            }
            readAt = now;
            try {
                value = source.getAsLong();
            } catch (RuntimeException e) {
                log.warn("counting the {} failed: {}", name, e.toString());
                value = Double.NaN;
            }
            return value;
        }
    }
}
