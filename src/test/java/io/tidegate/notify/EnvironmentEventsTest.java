package io.tidegate.notify;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

/** freeze_started, freeze_ended and lock_released: events of an environment, maybe with no PR. */
class EnvironmentEventsTest {
    static final NotificationEvent.FreezeStarted FROZEN_BY_API =
            new NotificationEvent.FreezeStarted("production", "change-calendar", "year end",
                    Optional.of(Instant.parse("2026-12-27T00:00:00Z")), false, Optional.empty());

    @Test
    void anEventAskedThroughTheApiRendersWithoutAPullRequest() {
        EmailFormat.Email email = EmailFormat.render(FROZEN_BY_API);

        assertThat(email.subject()).isEqualTo("[Tidegate] Environment frozen in production");
        assertThat(email.body()).isEqualTo("""
                Environment frozen in production

                Environment:   production
                Frozen by:     change-calendar
                Until:         2026-12-27T00:00:00Z
                Override:      no override lifts it

                Reason:
                year end

                No apply runs there until the freeze ends: `tidegate unfreeze production` lifts it early.
                """);
        ObjectNode slack = SlackMessageFormat.render(FROZEN_BY_API, List.of("@devops-oncall"));
        assertThat(slack.get("text").asText())
                .isEqualTo("@devops-oncall Environment frozen in production");
        assertThat(slack.toString()).doesNotContain("pull");
    }

    @Test
    void anEventAskedOnAPullRequestLinksIt() {
        PullRequestLink pr = new PullRequestLink("acme/infra", 42, "Bump RDS",
                java.net.URI.create("https://github.com/acme/infra/pull/42"), "dev-kim");
        NotificationEvent.LockReleased e = new NotificationEvent.LockReleased("staging",
                "lead-park", "acme/infra#41", "runner died", Optional.of(pr));

        EmailFormat.Email email = EmailFormat.render(e);

        assertThat(email.subject()).isEqualTo("[Tidegate] Apply lock released by hand in "
                + "staging: acme/infra#42 Bump RDS");
        assertThat(email.body()).contains("Held by:       acme/infra#41", "runner died");
        assertThat(new NotificationRouter(io.tidegate.policy.NotificationRules.NONE)
                .route(e)).isEqualTo(NotificationRouter.Route.NONE);
    }
}
