package io.tidegate.notify;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tidegate.secret.Secret;
import io.tidegate.policy.NotificationRules.Event;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SlackNotifierTest {
    private static final OkHttpClient SHARED = new OkHttpClient();
    /** Generous, so a loaded machine does not turn an answer into a timeout. */
    private static final SlackNotifier.Timeouts FAST = new SlackNotifier.Timeouts(
            Duration.ofSeconds(2), Duration.ofSeconds(3), Duration.ofSeconds(5));
    /** For the timeout test: far below the stand-in's delay. */
    private static final SlackNotifier.Timeouts IMPATIENT = new SlackNotifier.Timeouts(
            Duration.ofMillis(500), Duration.ofMillis(300), Duration.ofMillis(800));
    private static WireMockServer slack;

    private final ObjectMapper json = new ObjectMapper();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final NotificationEvent.ApplyRequested event = SampleEvents.applyRequested();
    private final String body = SlackMessageFormat.render(event, List.of("@devops-lead", "@cto"))
            .toString();
    private final Delivery delivery = new Delivery(Delivery.Kind.SLACK, "#infra-approvals",
            Event.APPLY_REQUESTED, "production", "", body);

    @BeforeAll
    static void startSlack() {
        slack = new WireMockServer(options().dynamicPort());
        slack.start();
    }

    @AfterAll
    static void stopSlack() {
        slack.stop();
    }

    @BeforeEach
    void reset() {
        slack.resetAll();
    }

    private Secret hook(String path) {
        return new Secret(slack.baseUrl() + path);
    }

    private SlackNotifier webhookNotifier() {
        return new SlackNotifier(SHARED, new SlackSettings(hook("/services/T0/B0/default"),
                Map.of("INFRA_APPROVALS", hook("/services/T0/B1/approvals")), Secret.ABSENT,
                SlackSettings.SLACK_API), FAST, registry);
    }

    private SlackNotifier botNotifier() {
        return new SlackNotifier(SHARED, new SlackSettings(Secret.ABSENT, Map.of(),
                new Secret("xoxb-111-222-secretbottoken"), URI.create(slack.baseUrl() + "/api")),
                FAST, registry);
    }

    private void answerWebhook(com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder r) {
        slack.stubFor(post(urlEqualTo("/services/T0/B1/approvals")).willReturn(r));
    }

    private double count(String outcome) {
        var counter = registry.find("tidegate.notifications").tag("kind", "slack")
                .tag("event", "apply_requested").tag("outcome", outcome).counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void webhookPostsTheRenderedMessageWholeToTheChannelsOwnWebhook() throws Exception {
        answerWebhook(aResponse().withStatus(200).withBody("ok"));

        DeliveryOutcome outcome = webhookNotifier().deliver(delivery, "outbox-17");

        assertThat(outcome).isEqualTo(DeliveryOutcome.DELIVERED);
        List<LoggedRequest> sent =
                slack.findAll(postRequestedFor(urlEqualTo("/services/T0/B1/approvals")));
        assertThat(sent).hasSize(1);
        assertThat(json.readTree(sent.get(0).getBodyAsString())).isEqualTo(json.readTree("""
                {"text": "@devops-lead @cto Apply waiting for approval in production: acme/infra#42 feat(infra): Add Redis cluster for application caching",
                 "blocks": [
                  {"type": "header", "text": {"type": "plain_text", "text": "🚨 Apply waiting for approval · production", "emoji": true}},
                  {"type": "section", "text": {"type": "mrkdwn",
                    "text": "@devops-lead @cto\\n*<https://github.com/acme/infra/pull/42|acme/infra#42: feat(infra): Add Redis cluster for application caching>*"}},
                  {"type": "section", "fields": [
                    {"type": "mrkdwn", "text": "*Environment*\\nproduction"},
                    {"type": "mrkdwn", "text": "*Project*\\nprod-environment"},
                    {"type": "mrkdwn", "text": "*Author*\\nalice"},
                    {"type": "mrkdwn", "text": "*Requested by*\\nbob"},
                    {"type": "mrkdwn", "text": "*Cost change*\\n+$200.00/month (total $1,450.50/month)"},
                    {"type": "mrkdwn", "text": "*Resources*\\n+3 ∼1 −0"},
                    {"type": "mrkdwn", "text": "*Approved by*\\ncarol"},
                    {"type": "mrkdwn", "text": "*Still needed*\\n1 more approval from devops-lead or cto"}]},
                  {"type": "context", "elements": [{"type": "mrkdwn",
                    "text": "Approve the pull request on GitHub, then comment ˋatlantis apply -p prod-environmentˋ."}]}],
                 "link_names": true,
                 "unfurl_links": false}
                """));
        assertThat(sent.get(0).getHeader("Content-Type"))
                .isEqualToIgnoringCase("application/json; charset=utf-8");
        assertThat(sent.get(0).getHeader("X-Tidegate-Idempotency-Key")).isEqualTo("outbox-17");
        assertThat(count("delivered")).isEqualTo(1);
    }

    @Test
    void channelWithoutOwnWebhookUsesTheDefaultWebhook() {
        slack.stubFor(post(urlEqualTo("/services/T0/B0/default"))
                .willReturn(aResponse().withStatus(200).withBody("ok")));
        Delivery general = new Delivery(Delivery.Kind.SLACK, "#general", Event.APPLY_REQUESTED,
                "production", "", body);

        assertThat(webhookNotifier().deliver(general, "k")).isEqualTo(DeliveryOutcome.DELIVERED);
        slack.verify(1, postRequestedFor(urlEqualTo("/services/T0/B0/default")));
    }

    @Test
    void botTokenPostsWithChatPostMessageAddingTheChannel() throws Exception {
        slack.stubFor(post(urlEqualTo("/api/chat.postMessage")).willReturn(aResponse()
                .withStatus(200).withHeader("Content-Type", "application/json")
                .withBody("{\"ok\":true,\"channel\":\"C123\",\"ts\":\"1503435956.000247\"}")));

        DeliveryOutcome outcome = botNotifier().deliver(delivery, "outbox-18");

        assertThat(outcome).isEqualTo(DeliveryOutcome.DELIVERED);
        ObjectNode expected = json.createObjectNode().put("channel", "#infra-approvals");
        expected.setAll((ObjectNode) json.readTree(body));
        slack.verify(1, postRequestedFor(urlEqualTo("/api/chat.postMessage"))
                .withHeader("Authorization", equalTo("Bearer xoxb-111-222-secretbottoken"))
                .withRequestBody(equalToJson(expected.toString())));
    }

    @Test
    void webApiOkFalseIsAFailureNotAnException() {
        slack.stubFor(post(urlEqualTo("/api/chat.postMessage")).willReturn(aResponse()
                .withStatus(200).withBody("{\"ok\":false,\"error\":\"channel_not_found\"}")));

        assertThat(botNotifier().deliver(delivery, "k")).isEqualTo(
                new DeliveryOutcome.Failed("Slack chat.postMessage failed: channel_not_found"));
        assertThat(count("failed")).isEqualTo(1);
    }

    @Test
    void webApiRatelimitedErrorIsRetried() {
        slack.stubFor(post(urlEqualTo("/api/chat.postMessage")).willReturn(aResponse()
                .withStatus(200).withBody("{\"ok\":false,\"error\":\"ratelimited\"}")));

        assertThat(botNotifier().deliver(delivery, "k")).isEqualTo(
                DeliveryOutcome.retryLater("Slack chat.postMessage failed: ratelimited"));
    }

    @Test
    void serverErrorIsRetried() {
        answerWebhook(aResponse().withStatus(500).withBody("internal_error"));

        assertThat(webhookNotifier().deliver(delivery, "k")).isEqualTo(
                DeliveryOutcome.retryLater("Slack answered 500: internal_error"));
        assertThat(count("retry")).isEqualTo(1);
    }

    @Test
    void rateLimitIsRetriedAfterTheSecondsSlackAsks() {
        answerWebhook(aResponse().withStatus(429).withHeader("Retry-After", "30")
                .withBody("rate_limited"));

        assertThat(webhookNotifier().deliver(delivery, "k")).isEqualTo(
                new DeliveryOutcome.RetryLater(Optional.of(Duration.ofSeconds(30)),
                        "Slack answered 429: rate_limited"));
    }

    @Test
    void rateLimitWithoutRetryAfterLeavesTheWaitToTheOutbox() {
        answerWebhook(aResponse().withStatus(429));

        assertThat(webhookNotifier().deliver(delivery, "k")).isEqualTo(
                new DeliveryOutcome.RetryLater(Optional.empty(), "Slack answered 429"));
    }

    @Test
    void unknownWebhookFailsForGood() {
        answerWebhook(aResponse().withStatus(404).withBody("no_service"));

        assertThat(webhookNotifier().deliver(delivery, "k")).isEqualTo(
                new DeliveryOutcome.Failed("Slack answered 404: no_service"));
    }

    @Test
    void invalidPayloadFailsForGood() {
        answerWebhook(aResponse().withStatus(400).withBody("invalid_payload"));

        assertThat(webhookNotifier().deliver(delivery, "k")).isEqualTo(
                new DeliveryOutcome.Failed("Slack answered 400: invalid_payload"));
    }

    @Test
    void slowSlackTimesOutAndIsRetried() {
        answerWebhook(aResponse().withStatus(200).withBody("ok").withFixedDelay(5_000));
        SlackNotifier impatient = new SlackNotifier(SHARED, new SlackSettings(Secret.ABSENT,
                Map.of("INFRA_APPROVALS", hook("/services/T0/B1/approvals")), Secret.ABSENT,
                SlackSettings.SLACK_API), IMPATIENT, registry);

        DeliveryOutcome outcome = impatient.deliver(delivery, "k");

        assertThat(outcome).isInstanceOf(DeliveryOutcome.RetryLater.class);
        assertThat(((DeliveryOutcome.RetryLater) outcome).why())
                .startsWith("Slack unreachable: ").containsIgnoringCase("timeout");
        assertThat(((DeliveryOutcome.RetryLater) outcome).retryAfter()).isEmpty();
    }

    @Test
    void refusedConnectionIsRetried() throws IOException {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        SlackNotifier notifier = new SlackNotifier(SHARED, new SlackSettings(
                new Secret("http://127.0.0.1:" + closedPort + "/services/T0/B0/x"), Map.of(),
                Secret.ABSENT, SlackSettings.SLACK_API), FAST, registry);

        assertThat(notifier.deliver(delivery, "k")).isInstanceOf(DeliveryOutcome.RetryLater.class);
    }

    @Test
    void channelSlackCannotReachFailsNamingTheVariablesToSet() {
        SlackNotifier notifier = new SlackNotifier(SHARED, SlackSettings.NONE, FAST, registry);

        assertThat(notifier.deliver(delivery, "k")).isEqualTo(new DeliveryOutcome.Failed(
                "no Slack webhook or bot token for #infra-approvals (set "
                        + "SLACK_WEBHOOK_URL_INFRA_APPROVALS, SLACK_BOT_TOKEN or SLACK_WEBHOOK_URL)"));
    }

    @Test
    void emailDeliveryIsAProgrammingError() {
        Delivery email = new Delivery(Delivery.Kind.EMAIL, "", Event.APPLY_FAILED, "production",
                "s", "b");

        assertThatThrownBy(() -> webhookNotifier().deliver(email, "k"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("not a Slack delivery: EMAIL");
    }

    @Test
    void webhookThatIsNotAUrlFailsWithoutQuotingIt() {
        SlackNotifier notifier = new SlackNotifier(SHARED, new SlackSettings(
                new Secret("http://hooks slack com/services/secret"), Map.of(), Secret.ABSENT,
                SlackSettings.SLACK_API), FAST, registry);

        assertThat(notifier.deliver(delivery, "k")).isEqualTo(new DeliveryOutcome.Failed(
                "the Slack webhook for #infra-approvals is not a valid http(s) URL (value hidden)"));
    }

    @Test
    void bodyThatIsNotJsonFailsForGoodInsteadOfThrowing() {
        Delivery broken = new Delivery(Delivery.Kind.SLACK, "#infra-approvals",
                Event.APPLY_REQUESTED, "production", "", "not json");

        assertThat(botNotifier().deliver(broken, "k")).isEqualTo(
                new DeliveryOutcome.Failed("the Slack delivery body is not a JSON object"));
        assertThat(slack.getAllServeEvents()).isEmpty();
    }

    @Test
    void unavailableWithRetryAfterIsRetriedThen() {
        answerWebhook(aResponse().withStatus(503).withHeader("Retry-After", "120"));

        assertThat(webhookNotifier().deliver(delivery, "k")).isEqualTo(
                new DeliveryOutcome.RetryLater(Optional.of(Duration.ofSeconds(120)),
                        "Slack answered 503"));
    }

    @Test
    void attemptsShowInPrometheusByKindEventAndOutcome() {
        answerWebhook(aResponse().withStatus(404).withBody("no_service"));
        PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

        new SlackNotifier(SHARED, new SlackSettings(Secret.ABSENT,
                Map.of("INFRA_APPROVALS", hook("/services/T0/B1/approvals")), Secret.ABSENT,
                SlackSettings.SLACK_API), FAST, prometheus).deliver(delivery, "k");

        assertThat(prometheus.scrape()).contains("tidegate_notifications_total{"
                + "event=\"apply_requested\",kind=\"slack\",outcome=\"failed\"} 1.0");
    }
}
