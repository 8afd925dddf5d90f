package io.tidegate.notify;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import io.tidegate.notify.NotificationRouter.Route;
import io.tidegate.policy.NotificationRules;
import io.tidegate.policy.NotificationRules.Event;
import org.junit.jupiter.api.Test;

class NotificationRouterTest {
    private final NotificationRouter router = new NotificationRouter(SampleEvents.seedRules());

    @Test
    void productionApplyRequestGoesToApprovalsMentioningLeadAndCto() {
        assertThat(router.route(Event.APPLY_REQUESTED, "production")).isEqualTo(
                new Route(List.of("#infra-approvals"), List.of("@devops-lead", "@cto"), false));
    }

    @Test
    void stagingApplyRequestMentionsTheDevopsTeam() {
        assertThat(router.route(Event.APPLY_REQUESTED, "staging")).isEqualTo(
                new Route(List.of("#infra-approvals"), List.of("@devops-team"), false));
    }

    @Test
    void environmentWithoutOwnMentionsGetsNone() {
        assertThat(router.route(Event.APPLY_REQUESTED, "develop")).isEqualTo(
                new Route(List.of("#infra-approvals"), List.of(), false));
    }

    @Test
    void applyFailedPagesOncallInEveryEnvironmentAndMails() {
        assertThat(router.route(SampleEvents.applyFailed())).isEqualTo(
                new Route(List.of("#incident-response"), List.of("@devops-oncall"), true));
    }

    @Test
    void applyCompletedGoesToBothChannelsInPolicyOrder() {
        assertThat(router.route(SampleEvents.applyCompleted()).slackChannels())
                .containsExactly("#general", "#infra-review");
    }

    @Test
    void eventLimitedToOtherEnvironmentsGoesNowhere() {
        assertThat(router.route(Event.OVERRIDE_USED, "staging")).isEqualTo(Route.NONE);
        assertThat(router.route(Event.OVERRIDE_USED, "production").email()).isTrue();
    }

    @Test
    void eventThePolicyDoesNotListGoesNowhere() {
        assertThat(router.route(Event.BUDGET_WARNING, "production")).isEqualTo(Route.NONE);
        assertThat(new NotificationRouter(NotificationRules.NONE)
                .route(Event.APPLY_FAILED, "production").isEmpty()).isTrue();
    }
}
