package io.tidegate.notify;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import io.tidegate.secret.Secret;
import io.tidegate.policy.NotificationRules.Event;
import org.junit.jupiter.api.Test;

class NotificationsTest {
    private static final Secret DEFAULT_HOOK =
            new Secret("https://hooks.slack.com/services/T0/B0/default");
    private static final Secret REVIEW_HOOK =
            new Secret("https://hooks.slack.com/services/T0/B1/review");

    private static Notifications notifications(SlackSettings slack, boolean email) {
        return new Notifications(new NotificationRouter(SampleEvents.seedRules()), slack, email);
    }

    @Test
    void twoChannelsOnTheSameDefaultWebhookGetOneMessage() {
        SlackSettings slack = new SlackSettings(DEFAULT_HOOK, Map.of(), Secret.ABSENT,
                SlackSettings.SLACK_API);

        List<Delivery> out = notifications(slack, true).compose(SampleEvents.applyCompleted());

        assertThat(out).extracting(Delivery::target).containsExactly("#general");
    }

    @Test
    void channelWithItsOwnWebhookGetsItsOwnMessage() {
        SlackSettings slack = new SlackSettings(DEFAULT_HOOK, Map.of("INFRA_REVIEW", REVIEW_HOOK),
                Secret.ABSENT, SlackSettings.SLACK_API);

        List<Delivery> out = notifications(slack, true).compose(SampleEvents.applyCompleted());

        assertThat(out).extracting(Delivery::target).containsExactly("#general", "#infra-review");
    }

    @Test
    void botTokenPostsToEveryChannel() {
        SlackSettings slack = new SlackSettings(Secret.ABSENT, Map.of(), new Secret("xoxb-1-2-abc"),
                SlackSettings.SLACK_API);

        List<Delivery> out = notifications(slack, false).compose(SampleEvents.applyCompleted());

        assertThat(out).extracting(Delivery::target).containsExactly("#general", "#infra-review");
    }

    @Test
    void failureGoesToSlackWithMentionsAndToEmail() {
        SlackSettings slack = new SlackSettings(DEFAULT_HOOK, Map.of(), Secret.ABSENT,
                SlackSettings.SLACK_API);
        NotificationEvent.ApplyFailed event = SampleEvents.applyFailed();
        EmailFormat.Email email = EmailFormat.render(event);

        List<Delivery> out = notifications(slack, true).compose(event);

        assertThat(out).containsExactly(
                new Delivery(Delivery.Kind.SLACK, "#incident-response", Event.APPLY_FAILED,
                        "production", "",
                        SlackMessageFormat.render(event, List.of("@devops-oncall")).toString()),
                new Delivery(Delivery.Kind.EMAIL, "", Event.APPLY_FAILED, "production",
                        email.subject(), email.body()));
    }

    @Test
    void noEmailWhenSnsIsNotConfigured() {
        List<Delivery> out = notifications(SlackSettings.NONE, false)
                .compose(SampleEvents.applyFailed());

        assertThat(out).isEmpty();
    }

    @Test
    void slackOffMeansNoSlackDeliveries() {
        List<Delivery> out = notifications(SlackSettings.NONE, true)
                .compose(SampleEvents.applyFailed());

        assertThat(out).extracting(Delivery::kind).containsExactly(Delivery.Kind.EMAIL);
    }

    @Test
    void deliveriesCarryNoCredentials() {
        SlackSettings slack = new SlackSettings(DEFAULT_HOOK, Map.of("INFRA_REVIEW", REVIEW_HOOK),
                new Secret("xoxb-1-2-abc"), SlackSettings.SLACK_API);

        List<Delivery> out = notifications(slack, true).compose(SampleEvents.applyCompleted());

        assertThat(out.toString()).doesNotContain("hooks.slack.com", "xoxb");
    }
}
