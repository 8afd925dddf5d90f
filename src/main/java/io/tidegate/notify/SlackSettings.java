package io.tidegate.notify;

import java.net.URI;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import io.tidegate.secret.Secret;

/**
 * How Slack is reached, per channel. The order, most specific first:
 * <ol>
 *   <li>the channel's own incoming webhook ({@code SLACK_WEBHOOK_URL_INFRA_REVIEW} for
 *       {@code #infra-review}, keyed here by {@link #channelKey});</li>
 *   <li>the bot token ({@code SLACK_BOT_TOKEN}) with {@code chat.postMessage} to the channel;</li>
 *   <li>the default incoming webhook ({@code SLACK_WEBHOOK_URL}), which posts to whatever
 *       channel it was created for.</li>
 * </ol>
 * {@code apiUrl} is Slack's Web API base, {@code https://slack.com/api} outside tests.
 */
public record SlackSettings(
        Secret defaultWebhook,
        Map<String, Secret> channelWebhooks,
        Secret botToken,
        URI apiUrl) {

    public static final URI SLACK_API = URI.create("https://slack.com/api");
    public static final SlackSettings NONE =
            new SlackSettings(Secret.ABSENT, Map.of(), Secret.ABSENT, SLACK_API);

    public SlackSettings {
        Objects.requireNonNull(defaultWebhook, "defaultWebhook == null");
        channelWebhooks = Map.copyOf(
                Objects.requireNonNull(channelWebhooks, "channelWebhooks == null"));
        Objects.requireNonNull(botToken, "botToken == null");
        Objects.requireNonNull(apiUrl, "apiUrl == null");
    }

    /** Where a message for one channel is posted. Never prints its credential. */
    public sealed interface Destination {
        /** An incoming webhook: the URL is the credential. */
        record Webhook(Secret url) implements Destination {}

        /** {@code chat.postMessage} with the bot token to this channel. */
        record BotPost(String channel) implements Destination {}
    }

    /**
     * The environment-variable suffix for a channel: {@code #infra-review} → {@code INFRA_REVIEW}
     * (leading {@code #} dropped, upper-cased, anything but A-Z and 0-9 as {@code _}).
     */
    public static String channelKey(String channel) {
        String name = channel.startsWith("#") ? channel.substring(1) : channel;
        return name.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
    }

    public boolean isEnabled() {
        return defaultWebhook.isPresent() || botToken.isPresent() || !channelWebhooks.isEmpty();
    }

    public Optional<Destination> destination(String channel) {
        Secret own = channelWebhooks.getOrDefault(channelKey(channel), Secret.ABSENT);
        if (own.isPresent()) {
            return Optional.of(new Destination.Webhook(own));
        }
        if (botToken.isPresent()) {
            return Optional.of(new Destination.BotPost(channel));
        }
        if (defaultWebhook.isPresent()) {
            return Optional.of(new Destination.Webhook(defaultWebhook));
        }
        return Optional.empty();
    }
}
