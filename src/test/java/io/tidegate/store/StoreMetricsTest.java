package io.tidegate.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidegate.TestClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoreMetricsTest {
    static final Instant T0 = Instant.parse("2026-11-20T09:00:00Z");

    TestClock clock = new TestClock(T0);

    @Test
    void depthGaugesShowUnfinishedEffectsAndEventsOnTheScrape(@TempDir Path dir) {
        try (SqliteStore store = SqliteStore.openIn(dir)) {
            store.outbox().enqueue(new Effect("k1", "github.comment", "{}"), T0);
            store.outbox().enqueue(new Effect("k2", "notify.slack", "{}"), T0);
            store.inbox().add(new InboxEvent("e1", "acme/infra#1", "github.webhook", "{}", T0),
                    false);
            PrometheusMeterRegistry registry = new PrometheusMeterRegistry(
                    PrometheusConfig.DEFAULT);
            new StoreMetrics(store, clock, Duration.ofSeconds(5)).bindTo(registry);
            String scrape = registry.scrape();
            assertThat(scrape).contains("tidegate_outbox_depth 2.0")
                    .contains("tidegate_inbox_depth 1.0");
        }
    }

    @Test
    void countIsReadAtMostOncePerMaxAgeHoweverOftenItIsScraped() {
        AtomicInteger reads = new AtomicInteger();
        StoreMetrics.CachedCount count = new StoreMetrics.CachedCount("outbox",
                () -> reads.incrementAndGet() * 10L, clock, Duration.ofSeconds(5));
        for (int i = 0; i < 100; i++) {
            assertThat(count.value()).isEqualTo(10.0);
        }
        clock.advance(Duration.ofMillis(4_999));
        assertThat(count.value()).isEqualTo(10.0);
        clock.advance(Duration.ofMillis(1));
        assertThat(count.value()).isEqualTo(20.0);
        assertThat(reads).hasValue(2);
    }

    @Test
    void failedCountReadsAsUnknownAndIsNotRetriedBeforeMaxAge() {
        AtomicInteger reads = new AtomicInteger();
        StoreMetrics.CachedCount count = new StoreMetrics.CachedCount("inbox", () -> {
            reads.incrementAndGet();
            throw new StoreException("DynamoDB: count inbox failed: throttled");
        }, clock, Duration.ofSeconds(5));
        assertThat(count.value()).isNaN();
        assertThat(count.value()).isNaN();
        assertThat(reads).as("a throttled table is not asked again on every scrape").hasValue(1);
        clock.advance(Duration.ofSeconds(5));
        assertThat(count.value()).isNaN();
        assertThat(reads).hasValue(2);
    }
}
