package io.tidegate.notify;

import java.util.Objects;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;

/**
 * Counts delivery attempts as {@code tidegate_notifications_total{kind, event, outcome}}, kind
 * being slack, email or cloudwatch and outcome delivered, retry or failed; the publisher adds
 * {@code queued} (put in the outbox) and {@code unqueued} (the outbox refused it, so it is lost).
 * Shared by the senders and the publisher so the series look alike.
 */
final class DeliveryMetrics {
    static final String NAME = "tidegate.notifications";

    private final MeterRegistry registry;

    DeliveryMetrics(MeterRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry == null");
    }

    void record(Delivery delivery, DeliveryOutcome outcome) {
        record(delivery.kind().tag(), delivery.event().key(), outcome);
    }

    void record(String kind, String event, DeliveryOutcome outcome) {
        record(kind, event, outcome.tag());
    }

    void record(String kind, String event, String outcome) {
        Counter.builder(NAME)
                .description("Notification delivery attempts by kind, event and outcome")
                .tag("kind", kind)
                .tag("event", event)
                .tag("outcome", outcome)
                .register(registry)
                .increment();
    }

    /** One line per attempt: info when delivered, warn otherwise, with the reason. */
    static void log(Logger log, Delivery d, String key, DeliveryOutcome outcome) {
        String what = d.kind().tag() + " " + d.event().key() + " (" + d.environment() + ")"
                + (d.target().isEmpty() ? "" : " to " + d.target()) + " key=" + key;
        if (outcome instanceof DeliveryOutcome.Delivered) {
            log.info("{}: delivered", what);
        } else if (outcome instanceof DeliveryOutcome.RetryLater r) {
            log.warn("{}: will retry{}: {}", what,
                    r.retryAfter().map(a -> " after " + a.toSeconds() + "s").orElse(""), r.why());
        } else if (outcome instanceof DeliveryOutcome.Failed f) {
            log.warn("{}: failed: {}", what, f.why());
        } else {
            throw new AssertionError(outcome);
        }
    }
}
