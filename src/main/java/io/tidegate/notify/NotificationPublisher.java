package io.tidegate.notify;

/**
 * Hands a notification over for delivery: implementations compose the messages the policy routes
 * it to and queue them durably (the outbox), returning at once, so a slow or dead Slack never
 * delays a decision. Safe for concurrent use. {@link #NONE} drops everything.
 */
@FunctionalInterface
public interface NotificationPublisher {
    NotificationPublisher NONE = event -> { };

    void publish(NotificationEvent event);
}
