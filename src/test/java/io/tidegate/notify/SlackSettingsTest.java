package io.tidegate.notify;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import io.tidegate.secret.Secret;
import org.junit.jupiter.api.Test;

class SlackSettingsTest {
    private static final Secret DEFAULT_HOOK =
            new Secret("https://hooks.slack.com/services/T0/B0/x");
    private static final Secret OWN_HOOK = new Secret("https://hooks.slack.com/services/T0/B1/y");
    private static final Secret BOT = new Secret("xoxb-1-2-abc");

    @Test
    void channelKeyDropsHashUpperCasesAndReplacesOtherCharacters() {
        assertThat(SlackSettings.channelKey("#infra-review")).isEqualTo("INFRA_REVIEW");
        assertThat(SlackSettings.channelKey("incident.response 2"))
                .isEqualTo("INCIDENT_RESPONSE_2");
    }

    @Test
    void channelWebhookWinsOverBotTokenWhichWinsOverDefaultWebhook() {
        SlackSettings all = new SlackSettings(DEFAULT_HOOK, Map.of("INFRA_REVIEW", OWN_HOOK), BOT,
                SlackSettings.SLACK_API);
        SlackSettings noBot = new SlackSettings(DEFAULT_HOOK, Map.of(), Secret.ABSENT,
                SlackSettings.SLACK_API);

        assertThat(all.destination("#infra-review"))
                .contains(new SlackSettings.Destination.Webhook(OWN_HOOK));
        assertThat(all.destination("#general"))
                .contains(new SlackSettings.Destination.BotPost("#general"));
        assertThat(noBot.destination("#general"))
                .contains(new SlackSettings.Destination.Webhook(DEFAULT_HOOK));
        assertThat(SlackSettings.NONE.destination("#general")).isEmpty();
    }

    @Test
    void printingSettingsNeverShowsCredentials() {
        SlackSettings all = new SlackSettings(DEFAULT_HOOK, Map.of("INFRA_REVIEW", OWN_HOOK), BOT,
                SlackSettings.SLACK_API);

        assertThat(all.toString() + all.destination("#infra-review").orElseThrow())
                .doesNotContain("hooks.slack.com", "xoxb");
    }
}
