package io.tidegate.notify;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

import io.micrometer.core.instrument.MeterRegistry;
import io.tidegate.policy.NotificationRules;
import io.tidegate.store.Effect;
import io.tidegate.store.OutboxStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes notifications through the outbox: composes the deliveries the CURRENT policy routes
 * an event to ({@link Notifications}) and enqueues one effect per delivery
 * ({@link NotifyEffects#SLACK}, {@link NotifyEffects#EMAIL}). Only a local store write happens
 * here; the {@code OutboxDispatcher} sends later, so a slow or dead Slack never delays the
 * caller.
 *
 * <p>Idempotency key: {@code notify:<event>:<identity>:<slack channel | email>}, the identity
 * being a digest of the event's facts (and the occurrence, when given). Records print their
 * fields in a fixed order and {@code PlanChange} keeps its maps sorted, so the same event gives
 * the same key in every process: a replay queues nothing twice.
 *
 * <p>Never throws for a failed store write: the decision that raised the notification must not
 * fail because of it. The loss is logged and counted ({@code outcome="unqueued"}).
 */
public final class OutboxNotificationPublisher implements NotificationPublisher {
    private static final Logger log = LoggerFactory.getLogger(OutboxNotificationPublisher.class);
    /** 96 bits of SHA-256: collisions between distinct events are not a practical concern. */
    private static final int IDENTITY_BYTES = 12;

    private final OutboxStore outbox;
    private final Supplier<NotificationRules> rules;
    private final SlackSettings slack;
    private final boolean emailEnabled;
    private final Clock clock;
    private final DeliveryMetrics metrics;

    /**
     * @param rules        the policy's {@code notifications:} section as it is now, read on every
     *                     publish so a reloaded policy routes the next event
     * @param emailEnabled whether SNS is configured ({@code SNS_TOPIC_ARN})
     */
    public OutboxNotificationPublisher(OutboxStore outbox, Supplier<NotificationRules> rules,
            SlackSettings slack, boolean emailEnabled, Clock clock, MeterRegistry registry) {
        this.outbox = Objects.requireNonNull(outbox, "outbox == null");
        this.rules = Objects.requireNonNull(rules, "rules == null");
        this.slack = Objects.requireNonNull(slack, "slack == null");
        this.emailEnabled = emailEnabled;
        this.clock = Objects.requireNonNull(clock, "clock == null");
        this.metrics = new DeliveryMetrics(registry);
    }

    @Override
    public void publish(NotificationEvent event) {
        publish(event, "");
    }

    @Override
    public void publish(NotificationEvent event, String occurrence) {
        Objects.requireNonNull(event, "event == null");
        Objects.requireNonNull(occurrence, "occurrence == null");
        List<Delivery> deliveries;
        try {
            deliveries = compose(event);
        } catch (RuntimeException e) {
            // A broken policy supplier or format bug: lose this notification, not the decision.
            log.error("notification {} for {} not composed: {}", event.type().key(),
                    event.link().map(PullRequestLink::key).orElse(event.environment()),
                    e.toString());
            metrics.record("all", event.type().key(), "unqueued");
            return;
        }
        String identity = identity(event, occurrence);
        for (Delivery d : deliveries) {
            enqueue(d, key(d, identity));
        }
    }

    private List<Delivery> compose(NotificationEvent event) {
        NotificationRules now = Objects.requireNonNull(rules.get(), "notification rules == null");
        return new Notifications(new NotificationRouter(now), slack, emailEnabled).compose(event);
    }

    private void enqueue(Delivery d, String key) {
        Effect effect = new Effect(key, NotifyEffects.kindOf(d.kind()), NotifyEffects.write(d));
        try {
            if (outbox.enqueue(effect, clock.instant())) {
                metrics.record(d.kind().tag(), d.event().key(), "queued");
            } else {
                log.debug("notification {} already queued", key);
            }
        } catch (RuntimeException e) {
            log.error("notification {} not queued, it is lost: {}", key, e.toString());
            metrics.record(d.kind().tag(), d.event().key(), "unqueued");
        }
    }

    /** {@code notify:<event>:<identity>:<#channel>} or {@code ...:email}. */
    static String key(Delivery d, String identity) {
        String where = d.kind() == Delivery.Kind.SLACK ? d.target() : d.kind().tag();
        return "notify:" + d.event().key() + ":" + identity + ":" + where;
    }

    /** A digest of the event's facts and the occurrence: equal events, equal identity. */
    static String identity(NotificationEvent event, String occurrence) {
        String facts = event.toString() + (occurrence.isEmpty() ? "" : "\n" + occurrence);
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256")
                    .digest(facts.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, IDENTITY_BYTES);
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError("every JVM has SHA-256", e);
        }
    }
}
