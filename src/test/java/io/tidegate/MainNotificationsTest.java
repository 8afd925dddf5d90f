package io.tidegate;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.tidegate.decision.CostChange;
import io.tidegate.decision.PlanChange;
import io.tidegate.decision.ProjectRef;
import io.tidegate.notify.DeploymentMetrics;
import io.tidegate.notify.NotificationEvent;
import io.tidegate.notify.NotificationPublisher;
import io.tidegate.notify.PullRequestLink;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import io.tidegate.wiring.Config;
import io.tidegate.wiring.ConfigException;
import io.tidegate.wiring.Server;

/**
 * The server as Server.start wires it: a notification published through the running server's publisher
 * is queued in its store, sent to Slack by its own outbox dispatcher with the routing of
 * policies/policy.yaml, and counted on /metrics.
 */
@Tag("slow")
class MainNotificationsTest {
    private static final String HOOK = "/services/T0/B0/main";
    /** #incident-response's own webhook, revoked: Slack answers 404 no_service. */
    private static final String REVOKED = "/services/T0/B1/revoked";

    @TempDir
    Path dir;

    private WireMockServer slack;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void startSlack() {
        slack = new WireMockServer(options().dynamicPort());
        slack.start();
        slack.stubFor(post(urlEqualTo(HOOK)).willReturn(aResponse().withStatus(200)
                .withBody("ok")));
        slack.stubFor(post(urlEqualTo(REVOKED)).willReturn(aResponse().withStatus(404)
                .withBody("no_service")));
    }

    @AfterEach
    void stopSlack() {
        slack.stop();
    }

    private Config config() throws ConfigException {
        return Config.from(Map.of(
                "TIDEGATE_PORT", "0",
                "TIDEGATE_BIND_ADDRESS", "127.0.0.1",
                "TIDEGATE_DATA_DIR", dir.toString(),
                "TIDEGATE_POLICY", Path.of("policies/policy.yaml").toAbsolutePath().toString(),
                "SLACK_WEBHOOK_URL", slack.baseUrl() + HOOK,
                "SLACK_WEBHOOK_URL_INCIDENT_RESPONSE", slack.baseUrl() + REVOKED));
    }

    private String metrics(Server.Running running) {
        try {
            return http.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + running.port() + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        } catch (Exception e) {
            throw new AssertionError("GET /metrics failed", e);
        }
    }

    /** Waits for what the dispatcher does on its own thread. */
    private static void await(String what, BooleanSupplier done) throws InterruptedException {
        Poll.until(what, done::getAsBoolean);
    }

    private static NotificationEvent.ApplyFailed applyFailed() {
        return new NotificationEvent.ApplyFailed("production",
                new PullRequestLink("acme/infra", 42, "Add Redis cluster",
                        URI.create("https://github.com/acme/infra/pull/42"), "alice"),
                new ProjectRef("prod-environment", "environments/prod", "prod"), "bob",
                List.of("carol", "dave"), "Error: CacheClusterAlreadyExists");
    }

    private static NotificationEvent.PlanCompleted planCompleted() {
        return new NotificationEvent.PlanCompleted("staging",
                new PullRequestLink("acme/infra", 7, "Bigger cache",
                        URI.create("https://github.com/acme/infra/pull/7"), "alice"),
                new ProjectRef("staging-environment", "environments/staging", "staging"),
                new CostChange(Optional.of(BigDecimal.TEN), Optional.empty()),
                PlanChange.EMPTY);
    }

    @Test
    void publishedNotificationsAreSentOrGivenUpByTheServersDispatcherAndShownOnMetrics()
            throws Exception {
        try (Server.Running running = Server.start(config())) {
            running.notifications().publish(planCompleted());
            running.notifications().publish(applyFailed());

            String delivered = "tidegate_notifications_total{event=\"plan_completed\","
                    + "kind=\"slack\",outcome=\"delivered\"} 1.0";
            String givenUp = "tidegate_outbox_failures_total{kind=\"notify.slack\"} 1.0";
            await("the delivery and the give-up to show on /metrics", () -> {
                String m = metrics(running);
                return m.contains(delivered) && m.contains(givenUp);
            });

            assertThat(metrics(running)).contains(
                    "tidegate_notifications_total{event=\"plan_completed\",kind=\"slack\","
                            + "outcome=\"queued\"} 1.0",
                    "tidegate_notifications_total{event=\"apply_failed\",kind=\"slack\","
                            + "outcome=\"queued\"} 1.0",
                    delivered,
                    "tidegate_notifications_total{event=\"apply_failed\",kind=\"slack\","
                            + "outcome=\"failed\"} 1.0",
                    givenUp,
                    "tidegate_outbox_depth");
            // policy.yaml: plan_completed to #infra-review (the default webhook), apply_failed to
            // #incident-response (its own webhook, revoked) mentioning the on-call.
            assertThat(slack.findAll(postRequestedFor(urlEqualTo(HOOK)))).singleElement()
                    .satisfies(r -> assertThat(r.getBodyAsString()).contains("acme/infra#7"));
            assertThat(slack.findAll(postRequestedFor(urlEqualTo(REVOKED)))).singleElement()
                    .satisfies(r -> assertThat(r.getBodyAsString())
                            .contains("@devops-oncall", "CacheClusterAlreadyExists"));
            // CloudWatch is not configured: deployment results go nowhere.
            assertThat(running.deploymentMetrics()).isSameAs(DeploymentMetrics.NONE);
        }
    }

    @Test
    void withoutSlackOrSnsConfiguredNothingIsQueuedOrSent() throws Exception {
        Config quiet = Config.from(Map.of(
                "TIDEGATE_PORT", "0",
                "TIDEGATE_BIND_ADDRESS", "127.0.0.1",
                "TIDEGATE_DATA_DIR", dir.toString(),
                "TIDEGATE_POLICY", Path.of("policies/policy.yaml").toAbsolutePath().toString()));
        try (Server.Running running = Server.start(quiet)) {
            assertThat(running.notifications()).isSameAs(NotificationPublisher.NONE);
            running.notifications().publish(applyFailed());
            running.notifications().publish(planCompleted());

            assertThat(metrics(running)).doesNotContain("tidegate_notifications_total{");
            assertThat(slack.getAllServeEvents()).isEmpty();
        }
    }
}
