package io.tidegate.wiring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.Map;
import java.util.Optional;

import io.tidegate.notify.SlackSettings;
import io.tidegate.secret.Secret;
import org.junit.jupiter.api.Test;

/** The notification, AWS and secrets settings of {@link Config}. */
class ConfigNotificationsTest {
    private static final String REVIEW_HOOK = "https://hooks.slack.com/services/T0/B1/review";
    private static final String DEFAULT_HOOK = "https://hooks.slack.com/services/T0/B0/default";

    @Test
    void notificationsAreOffByDefault() throws Exception {
        Config config = Config.from(Map.of());

        assertThat(config.notifications()).isEqualTo(Config.Notifications.NONE);
        assertThat(config.aws()).isEqualTo(new Config.Aws("", Optional.empty(), Optional.empty()));
        assertThat(config.slackSettings().isEnabled()).isFalse();
    }

    @Test
    void readsEveryNotificationVariable() throws Exception {
        Config config = Config.from(Map.of(
                "SLACK_WEBHOOK_URL", DEFAULT_HOOK,
                "SLACK_WEBHOOK_URL_INFRA_REVIEW", REVIEW_HOOK,
                "SLACK_BOT_TOKEN", "xoxb-1-2-abc",
                "SNS_TOPIC_ARN", "arn:aws:sns:ap-northeast-2:123456789012:tidegate-alerts",
                "TIDEGATE_CLOUDWATCH_NAMESPACE", "Tidegate/Deployments",
                "AWS_REGION", "ap-northeast-2",
                "TIDEGATE_AWS_ENDPOINT", "http://localhost:4566",
                "TIDEGATE_SECRETS_ARN", "arn:aws:secretsmanager:ap-northeast-2:1:secret:x"));

        assertThat(config.notifications()).isEqualTo(new Config.Notifications(
                Map.of("INFRA_REVIEW", new Secret(REVIEW_HOOK)), new Secret("xoxb-1-2-abc"),
                SlackSettings.SLACK_API,
                Optional.of("arn:aws:sns:ap-northeast-2:123456789012:tidegate-alerts"),
                Optional.of("Tidegate/Deployments")));
        assertThat(config.aws()).isEqualTo(new Config.Aws("ap-northeast-2",
                Optional.of(URI.create("http://localhost:4566")),
                Optional.of("arn:aws:secretsmanager:ap-northeast-2:1:secret:x")));
    }

    @Test
    void perChannelWebhookIsLookedUpByTheChannelsName() throws Exception {
        Config config = Config.from(Map.of("SLACK_WEBHOOK_URL", DEFAULT_HOOK,
                "SLACK_WEBHOOK_URL_INFRA_REVIEW", REVIEW_HOOK));

        assertThat(config.slackSettings().destination("#infra-review"))
                .contains(new SlackSettings.Destination.Webhook(new Secret(REVIEW_HOOK)));
        assertThat(config.slackSettings().destination("#general"))
                .contains(new SlackSettings.Destination.Webhook(new Secret(DEFAULT_HOOK)));
    }

    @Test
    void everyBadNotificationSettingIsReportedAtOnceWithoutSecrets() {
        assertThatThrownBy(() -> Config.from(Map.of(
                "SLACK_WEBHOOK_URL_INFRA_REVIEW", "hooks.slack.com/services/T0/B1/secretpart",
                "SLACK_BOT_TOKEN", "secret-not-a-slack-token",
                "SNS_TOPIC_ARN", "tidegate-alerts",
                "TIDEGATE_CLOUDWATCH_NAMESPACE", "AWS/Deployments",
                "TIDEGATE_AWS_ENDPOINT", "localhost:4566")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("invalid configuration:\n"
                        + "  - SLACK_BOT_TOKEN: expected a Slack token starting with xoxb- (value hidden)\n"
                        + "  - SNS_TOPIC_ARN: expected an SNS topic ARN such as "
                        + "arn:aws:sns:ap-northeast-2:123456789012:tidegate, got 'tidegate-alerts'\n"
                        + "  - TIDEGATE_CLOUDWATCH_NAMESPACE: expected up to 255 of A-Z a-z 0-9 . - _ / # :"
                        + " and space, not starting with AWS/, got 'AWS/Deployments'\n"
                        + "  - AWS_REGION: required when SNS_TOPIC_ARN or "
                        + "TIDEGATE_CLOUDWATCH_NAMESPACE is set\n"
                        + "  - SLACK_WEBHOOK_URL_INFRA_REVIEW: expected an http(s) URL (value hidden)\n"
                        + "  - TIDEGATE_AWS_ENDPOINT: expected an http(s) URL, got 'localhost:4566'");
    }

    @Test
    void botTokenAndChannelWebhooksAreMaskedInLogs() throws Exception {
        Config config = Config.from(Map.of("SLACK_BOT_TOKEN", "xoxb-1-2-abc",
                "SLACK_WEBHOOK_URL_INFRA_REVIEW", REVIEW_HOOK));

        assertThat(config.secretValues()).contains("xoxb-1-2-abc", REVIEW_HOOK);
        assertThat(config.toString()).doesNotContain("xoxb-1-2-abc", REVIEW_HOOK);
    }

    @Test
    void fifoTopicArnIsAccepted() throws Exception {
        Config config = Config.from(Map.of("AWS_REGION", "us-east-1",
                "SNS_TOPIC_ARN", "arn:aws:sns:us-east-1:123456789012:tidegate.fifo"));

        assertThat(config.notifications().snsTopicArn())
                .contains("arn:aws:sns:us-east-1:123456789012:tidegate.fifo");
    }
}
