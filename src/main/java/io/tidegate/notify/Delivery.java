package io.tidegate.notify;

import java.util.Objects;

import io.tidegate.policy.NotificationRules.Event;

/**
 * One message to one place, rendered and ready to store in the outbox: plain strings, no
 * credentials (a Slack channel is resolved to its webhook or token only when sent).
 *
 * <ul>
 *   <li>{@link Kind#SLACK}: {@code target} is the channel as the policy names it
 *       ({@code #infra-review}), {@code body} the Block Kit JSON, {@code subject} empty.</li>
 *   <li>{@link Kind#EMAIL}: {@code target} is empty (the SNS topic is configuration),
 *       {@code subject} and {@code body} are the e-mail's.</li>
 * </ul>
 * {@code event} and {@code environment} are kept for metrics and logs.
 */
public record Delivery(
        Kind kind,
        String target,
        Event event,
        String environment,
        String subject,
        String body) {

    public enum Kind {
        SLACK, EMAIL;

        /** The metric tag and log spelling. */
        public String tag() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public Delivery {
        Objects.requireNonNull(kind, "kind == null");
        Objects.requireNonNull(target, "target == null");
        Objects.requireNonNull(event, "event == null");
        Objects.requireNonNull(environment, "environment == null");
        Objects.requireNonNull(subject, "subject == null");
        Objects.requireNonNull(body, "body == null");
    }
}
