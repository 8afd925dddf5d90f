package io.tidegate.notify;

/**
 * Hands a notification over for delivery: implementations compose the messages the policy routes
 * it to and queue them durably (the outbox), returning at once, so a slow or dead Slack never
 * delays a decision. Safe for concurrent use. {@link #NONE} drops everything.
 *
 * <p>A notification is identified by its facts: publishing an equal event again (a replayed
 * webhook, a retried request) queues nothing new. When the same facts can honestly happen twice
 * (a second apply failing with the same error), say which occurrence this is with
 * {@link #publish(NotificationEvent, String)}.
 */
@FunctionalInterface
public interface NotificationPublisher {
    NotificationPublisher NONE = event -> { };

    void publish(NotificationEvent event);

    /**
     * Publishes one occurrence of an event: {@code occurrence} (an inbox event id, an Atlantis
     * run id) tells equal events apart. Implementations without deduplication ignore it.
     */
    default void publish(NotificationEvent event, String occurrence) {
        publish(event);
    }
}
