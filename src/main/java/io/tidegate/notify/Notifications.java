package io.tidegate.notify;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Turns an event into the deliveries the policy asks for: one Slack message per channel and one
 * e-mail when the policy says {@code email: true} and SNS is configured. Channels that end up at
 * the same place (two channels without their own webhook, both on the default webhook) get one
 * message, not two; with Slack not configured at all there are no Slack deliveries. Pure apart
 * from reading its settings; safe for concurrent use.
 */
public final class Notifications {
    private final NotificationRouter router;
    private final SlackSettings slack;
    private final boolean emailEnabled;

    public Notifications(NotificationRouter router, SlackSettings slack, boolean emailEnabled) {
        this.router = Objects.requireNonNull(router, "router == null");
        this.slack = Objects.requireNonNull(slack, "slack == null");
        this.emailEnabled = emailEnabled;
    }

    public List<Delivery> compose(NotificationEvent event) {
        NotificationRouter.Route route = router.route(event);
        List<Delivery> out = new ArrayList<>();
        Set<SlackSettings.Destination> seen = new HashSet<>();
        String slackBody = null;
        // Slack off altogether: no Slack deliveries. A channel Slack cannot reach while Slack is
        // on is still queued, so its sender fails it loudly instead of it vanishing here.
        List<String> channels = slack.isEnabled() ? route.slackChannels() : List.of();
        for (String channel : channels) {
            var destination = slack.destination(channel);
            // Already posting to this webhook for an earlier channel.
            if (destination.isPresent() && !seen.add(destination.get())) {
                continue;
            }
            if (slackBody == null) {
                slackBody = SlackMessageFormat.render(event, route.mentions()).toString();
            }
            out.add(new Delivery(Delivery.Kind.SLACK, channel, event.type(),
                    event.environment(), "", slackBody));
        }
        if (route.email() && emailEnabled) {
            EmailFormat.Email email = EmailFormat.render(event);
            out.add(new Delivery(Delivery.Kind.EMAIL, "", event.type(), event.environment(),
                    email.subject(), email.body()));
        }
        return out;
    }
}
