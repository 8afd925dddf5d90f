package io.tidegate.notify;

import java.util.List;
import java.util.Objects;

import io.tidegate.policy.NotificationRules;

/**
 * Reads the policy's {@code notifications:} section for one event: which Slack channels, whom to
 * mention and whether to e-mail. An event the policy does not list, or lists only for other
 * environments, goes nowhere ({@link Route#NONE}). Pure; safe for concurrent use.
 */
public final class NotificationRouter {
    private final NotificationRules rules;

    public NotificationRouter(NotificationRules rules) {
        this.rules = Objects.requireNonNull(rules, "rules == null");
    }

    /** Where an event goes. Channels keep the policy's spelling ({@code #infra-review}). */
    public record Route(List<String> slackChannels, List<String> mentions, boolean email) {
        public static final Route NONE = new Route(List.of(), List.of(), false);

        public Route {
            slackChannels = List.copyOf(
                    Objects.requireNonNull(slackChannels, "slackChannels == null"));
            mentions = List.copyOf(Objects.requireNonNull(mentions, "mentions == null"));
        }

        public boolean isEmpty() {
            return slackChannels.isEmpty() && !email;
        }
    }

    public Route route(NotificationRules.Event event, String environment) {
        NotificationRules.Rule rule = rules.rules().get(event);
        // Not in the policy: the team did not ask to hear about it.
        if (rule == null) {
            return Route.NONE;
        }
        // Listed for some environments only (e.g. budget warnings for production alone).
        if (!rule.appliesTo(environment)) {
            return Route.NONE;
        }
        List<String> mentions = rule.mentionsFor(environment).stream().distinct().toList();
        return new Route(rule.slack(), mentions, rule.email());
    }

    public Route route(NotificationEvent event) {
        return route(event.type(), event.environment());
    }
}
