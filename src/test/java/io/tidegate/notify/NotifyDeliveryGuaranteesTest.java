package io.tidegate.notify;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tidegate.wiring.Config;
import io.tidegate.TestAws;
import io.tidegate.store.OutboxDispatcher;
import io.tidegate.store.OutboxEntry;
import io.tidegate.store.OutboxState;
import io.tidegate.store.SqliteStore;
import io.tidegate.TestClock;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import io.tidegate.wiring.NotifyWiring;

/**
 * Issue 7's delivery guarantees, end to end below HTTP: the publisher queues into the real
 * SQLite outbox, the real {@link OutboxDispatcher} performs with the real senders (OkHttp for
 * Slack, the AWS SDK for SNS and CloudWatch) against WireMock. The dispatcher is driven by hand
 * on a test clock, so "retried after Retry-After" is a fact about stored times, not a wait.
 */
class NotifyDeliveryGuaranteesTest {
    private static final String HOOK = "/services/T0/B0/default";
    private static final String SNS = "/";
    private static final String CLOUDWATCH =
            "/service/GraniteServiceVersion20100801/operation/PutMetricData";
    private static final String TOPIC = "arn:aws:sns:ap-northeast-2:123456789012:tidegate-alerts";
    private static final Instant T0 = Instant.parse("2026-11-20T03:00:00Z");
    private static final int MAX_ATTEMPTS = 4;
    /**
     * Generous enough that a loaded machine does not turn an answer into a timeout, far below
     * the hanging stand-in's {@link #HANG}.
     */
    private static final SlackNotifier.Timeouts SLACK_TIMEOUTS = new SlackNotifier.Timeouts(
            Duration.ofSeconds(3), Duration.ofSeconds(3), Duration.ofSeconds(4));
    private static final int HANG = 10_000;
    private static final OkHttpClient HTTP = new OkHttpClient();
    private static final String PUBLISHED = "<PublishResponse xmlns=\"http://sns.amazonaws.com/"
            + "doc/2010-03-31/\"><PublishResult><MessageId>m-1</MessageId></PublishResult>"
            + "<ResponseMetadata><RequestId>r-1</RequestId></ResponseMetadata></PublishResponse>";

    private static WireMockServer remote;

    @TempDir
    Path dir;

    private final ObjectMapper json = new ObjectMapper();
    private final ObjectMapper cbor = new ObjectMapper(new CBORFactory());
    private final TestClock clock = new TestClock(T0);
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private SqliteStore store;
    private NotifyWiring wiring;
    private OutboxDispatcher dispatcher;

    @BeforeAll
    static void startRemote() {
        remote = new WireMockServer(options().dynamicPort());
        remote.start();
    }

    @AfterAll
    static void stopRemote() {
        remote.stop();
    }

    @BeforeEach
    void open() throws Exception {
        remote.resetAll();
        store = SqliteStore.openIn(dir);
        wiring = wire(store);
        dispatcher = dispatcher(store);
    }

    @AfterEach
    void close() throws Exception {
        dispatcher.close();
        for (AutoCloseable r : wiring.resources()) {
            r.close();
        }
        store.close();
    }

    private NotifyWiring wire(SqliteStore s) throws Exception {
        Map<String, String> env = new HashMap<>(Map.of(
                "SLACK_WEBHOOK_URL", remote.baseUrl() + HOOK,
                "SNS_TOPIC_ARN", TOPIC,
                "TIDEGATE_CLOUDWATCH_NAMESPACE", "Tidegate/Deployments",
                "AWS_REGION", "ap-northeast-2"));
        return NotifyWiring.build(Config.from(env), s.outbox(), SampleEvents::seedRules, HTTP,
                registry, clock, SLACK_TIMEOUTS,
                () -> TestAws.clients(remote.baseUrl(), Duration.ofSeconds(5)));
    }

    private OutboxDispatcher dispatcher(SqliteStore s) {
        // Jitter 0: a retry comes exactly half the backoff later (0.5 s after the first failure).
        OutboxDispatcher d = new OutboxDispatcher(s.outbox(), wiring.performers(), clock,
                new OutboxDispatcher.Settings("test", Duration.ofMinutes(2), 10,
                        Duration.ofMillis(20), MAX_ATTEMPTS, Duration.ofSeconds(1),
                        Duration.ofSeconds(60)),
                () -> 0.0);
        d.bindTo(registry);
        return d;
    }

    /** Each answer once, in order; the last one for every later request. */
    private static void answers(String scenario, Supplier<MappingBuilder> request,
            ResponseDefinitionBuilder... answers) {
        for (int i = 0; i < answers.length; i++) {
            String state = i == 0 ? STARTED : scenario + "-" + i;
            String next = i + 1 < answers.length ? scenario + "-" + (i + 1) : state;
            remote.stubFor(request.get().inScenario(scenario).whenScenarioStateIs(state)
                    .willReturn(answers[i]).willSetStateTo(next));
        }
    }

    private static void slackAnswers(ResponseDefinitionBuilder... answers) {
        answers("slack", () -> post(urlEqualTo(HOOK)), answers);
    }

    private static ResponseDefinitionBuilder slack(int status, String body) {
        return aResponse().withStatus(status).withHeader("Content-Type", "text/plain")
                .withBody(body);
    }

    private static final ResponseDefinitionBuilder SLACK_OK = slack(200, "ok");

    private static String slackKey(NotificationEvent event, String channel) {
        return "notify:" + event.type().key() + ":"
                + OutboxNotificationPublisher.identity(event, "") + ":" + channel;
    }

    private OutboxEntry entry(String key) {
        return store.outbox().get(key).orElseThrow(() -> new AssertionError("no effect " + key));
    }

    /** Runs the dispatcher, a minute of test time apart, until none of the keys is pending. */
    private void settle(String... keys) {
        for (int round = 0; round < 60; round++) {
            dispatcher.drain();
            if (Arrays.stream(keys).allMatch(k -> entry(k).state() != OutboxState.PENDING)) {
                return;
            }
            clock.advance(Duration.ofMinutes(1));
        }
        fail("still pending after an hour of test time: " + Arrays.toString(keys));
    }

    private List<ServeEvent> served(String path, int status) {
        List<ServeEvent> out = new ArrayList<>();
        for (ServeEvent e : remote.getAllServeEvents()) {
            if (e.getRequest().getUrl().equals(path) && e.getResponse().getStatus() == status) {
                out.add(e);
            }
        }
        return out;
    }

    private int requests(String path) {
        return remote.findAll(postRequestedFor(urlEqualTo(path))).size();
    }

    private double notifications(String kind, String outcome) {
        var c = registry.find("tidegate.notifications").tag("kind", kind)
                .tag("outcome", outcome).counter();
        return c == null ? 0 : c.count();
    }

    private double givenUp(String kind) {
        return registry.get("tidegate.outbox.failures").tag("kind", kind).counter().count();
    }

    private String slackBody(NotificationEvent event, List<String> mentions) {
        return SlackMessageFormat.render(event, mentions).toString();
    }

    @Test
    void slackAnswering500ThenOkIsDeliveredExactlyOnceAfterABackoff() throws Exception {
        slackAnswers(slack(500, "internal error"), SLACK_OK);
        var event = SampleEvents.planCompleted();
        String key = slackKey(event, "#infra-review");

        wiring.publisher().publish(event);
        assertThat(dispatcher.runOnce()).isEqualTo(1);

        OutboxEntry failed = entry(key);
        assertThat(failed.state()).isEqualTo(OutboxState.PENDING);
        assertThat(failed.attempts()).isEqualTo(1);
        assertThat(failed.lastError()).contains("Slack answered 500: internal error");
        assertThat(failed.nextAttemptAt()).isEqualTo(T0.plusMillis(500));
        assertThat(dispatcher.runOnce()).isZero();

        clock.advance(Duration.ofMillis(500));
        settle(key);
        clock.advance(Duration.ofHours(1));
        dispatcher.drain();

        assertThat(entry(key).state()).isEqualTo(OutboxState.DONE);
        assertThat(entry(key).attempts()).isEqualTo(2);
        assertThat(requests(HOOK)).isEqualTo(2);
        List<ServeEvent> ok = served(HOOK, 200);
        assertThat(ok).hasSize(1);
        assertThat(json.readTree(ok.get(0).getRequest().getBodyAsString()))
                .isEqualTo(json.readTree(slackBody(event, List.of())));
        assertThat(notifications("slack", "retry")).isEqualTo(1);
        assertThat(notifications("slack", "delivered")).isEqualTo(1);
    }

    @Test
    void slack429IsRetriedNoSoonerThanItsRetryAfterThenDeliveredOnce() {
        slackAnswers(slack(429, "rate_limited").withHeader("Retry-After", "7"), SLACK_OK);
        var event = SampleEvents.planCompleted();
        String key = slackKey(event, "#infra-review");

        wiring.publisher().publish(event);
        dispatcher.runOnce();

        // Slack's wish beats the 0.5 s backoff.
        assertThat(entry(key).nextAttemptAt()).isEqualTo(T0.plusSeconds(7));
        clock.advance(Duration.ofMillis(6_999));
        assertThat(dispatcher.runOnce()).isZero();
        clock.advance(Duration.ofMillis(1));
        assertThat(dispatcher.runOnce()).isEqualTo(1);

        assertThat(entry(key).state()).isEqualTo(OutboxState.DONE);
        assertThat(requests(HOOK)).isEqualTo(2);
        assertThat(served(HOOK, 200)).hasSize(1);
    }

    @Test
    void aSlackThatHangsIsTimedOutRetriedAndDeliveredOnce() {
        // The hung call ends in a 503 we never read. Had Slack posted the message before we gave
        // up on it, the retry would post it again: a timeout is where at-least-once shows.
        slackAnswers(slack(503, "late").withFixedDelay(HANG), SLACK_OK);
        var event = SampleEvents.planCompleted();
        String key = slackKey(event, "#infra-review");

        wiring.publisher().publish(event);
        dispatcher.runOnce();

        assertThat(entry(key).state()).isEqualTo(OutboxState.PENDING);
        assertThat(entry(key).lastError().orElseThrow()).startsWith("Slack unreachable: ")
                .containsIgnoringCase("timeout");
        clock.advance(Duration.ofMillis(500));
        settle(key);

        assertThat(entry(key).state()).isEqualTo(OutboxState.DONE);
        assertThat(requests(HOOK)).isEqualTo(2);
        assertThat(served(HOOK, 200)).hasSize(1);
    }

    @Test
    void aPermanent404IsGivenUpAtOnceWithItsErrorKeptAndCounted() {
        slackAnswers(slack(404, "no_service"));
        var event = SampleEvents.planCompleted();
        String key = slackKey(event, "#infra-review");

        wiring.publisher().publish(event);
        settle(key);
        clock.advance(Duration.ofHours(1));
        dispatcher.drain();

        OutboxEntry entry = entry(key);
        assertThat(entry.state()).isEqualTo(OutboxState.GAVE_UP);
        assertThat(entry.attempts()).isEqualTo(1);
        assertThat(entry.lastError()).contains("Slack answered 404: no_service");
        assertThat(requests(HOOK)).isEqualTo(1);
        assertThat(givenUp("notify.slack")).isEqualTo(1);
        assertThat(notifications("slack", "failed")).isEqualTo(1);
    }

    @Test
    void aSlackFailingEveryTimeIsGivenUpAfterMaxAttemptsWithTheLastErrorKept() {
        slackAnswers(slack(502, "bad gateway"));
        var event = SampleEvents.planCompleted();
        String key = slackKey(event, "#infra-review");

        wiring.publisher().publish(event);
        settle(key);
        clock.advance(Duration.ofHours(1));
        dispatcher.drain();

        OutboxEntry entry = entry(key);
        assertThat(entry.state()).isEqualTo(OutboxState.GAVE_UP);
        assertThat(entry.attempts()).isEqualTo(MAX_ATTEMPTS);
        assertThat(entry.lastError()).contains(
                "Slack answered 502: bad gateway (gave up after 4 attempts)");
        assertThat(requests(HOOK)).isEqualTo(MAX_ATTEMPTS);
        assertThat(givenUp("notify.slack")).isEqualTo(1);
        assertThat(notifications("slack", "retry")).isEqualTo(MAX_ATTEMPTS);
    }

    @Test
    void anApplyFailureGoesToSlackAndThroughSnsEachExactlyOnceDespiteAnSnsOutage() {
        slackAnswers(SLACK_OK);
        answers("sns", () -> post(urlEqualTo(SNS)),
                aResponse().withStatus(500).withHeader("Content-Type", "text/xml").withBody(
                        "<ErrorResponse><Error><Type>Receiver</Type><Code>InternalError</Code>"
                                + "<Message>try again</Message></Error></ErrorResponse>"),
                aResponse().withStatus(200).withHeader("Content-Type", "text/xml")
                        .withBody(PUBLISHED));
        var event = SampleEvents.applyFailed();
        String slackKey = slackKey(event, "#incident-response");
        String emailKey = slackKey(event, "email");

        wiring.publisher().publish(event);
        settle(slackKey, emailKey);

        assertThat(entry(slackKey).state()).isEqualTo(OutboxState.DONE);
        assertThat(entry(emailKey).state()).isEqualTo(OutboxState.DONE);
        assertThat(entry(emailKey).attempts()).isEqualTo(2);
        assertThat(served(HOOK, 200)).hasSize(1);
        assertThat(requests(SNS)).isEqualTo(2);
        List<ServeEvent> published = served(SNS, 200);
        assertThat(published).hasSize(1);
        EmailFormat.Email mail = EmailFormat.render(event);
        var form = published.get(0).getRequest().formParameters();
        assertThat(form.get("TopicArn").firstValue()).isEqualTo(TOPIC);
        assertThat(form.get("Subject").firstValue()).isEqualTo(mail.subject());
        assertThat(form.get("Message").firstValue()).isEqualTo(mail.body());
    }

    @Test
    void deploymentResultsAreQueuedOnceAndSentToCloudWatchOnceDespiteAnOutage()
            throws Exception {
        Supplier<ResponseDefinitionBuilder> answer = () -> aResponse()
                .withHeader("smithy-protocol", "rpc-v2-cbor")
                .withHeader("Content-Type", "application/cbor");
        answers("cloudwatch", () -> post(urlEqualTo(CLOUDWATCH)),
                answer.get().withStatus(503).withHeader("x-amzn-query-error",
                        "InternalServiceError;Receiver").withBody(cbor.writeValueAsBytes(Map.of(
                        "__type", "com.amazonaws.cloudwatch#InternalServiceFault",
                        "message", "Service unavailable"))),
                answer.get().withStatus(200).withBody(cbor.writeValueAsBytes(Map.of())));
        Instant finished = Instant.parse("2026-11-20T02:59:00Z");
        var results = List.of(new FinishedDeployment("production", true,
                Optional.of(Duration.ofSeconds(245)), finished));

        assertThat(wiring.deploymentMetrics().publish(results, "deploy-17"))
                .isEqualTo(DeliveryOutcome.DELIVERED);
        assertThat(wiring.deploymentMetrics().publish(results, "deploy-17"))
                .isEqualTo(DeliveryOutcome.DELIVERED);
        assertThat(requests(CLOUDWATCH)).isZero();
        settle("notify:cloudwatch:deploy-17");

        assertThat(entry("notify:cloudwatch:deploy-17").state()).isEqualTo(OutboxState.DONE);
        assertThat(requests(CLOUDWATCH)).isEqualTo(2);
        List<ServeEvent> ok = served(CLOUDWATCH, 200);
        assertThat(ok).hasSize(1);
        JsonNode sent = json.readTree(json.writeValueAsString(
                cbor.readTree(ok.get(0).getRequest().getBody())));
        assertThat(sent).isEqualTo(json.readTree("""
                {"Namespace": "Tidegate/Deployments",
                 "MetricData": [
                  {"MetricName": "DeploymentSuccess", "Dimensions": [{"Name": "Environment", "Value": "production"}],
                   "Timestamp": %1$s, "Value": 1, "Unit": "Count"},
                  {"MetricName": "DeploymentFailure", "Dimensions": [{"Name": "Environment", "Value": "production"}],
                   "Timestamp": %1$s, "Value": 0, "Unit": "Count"},
                  {"MetricName": "DeploymentDuration", "Dimensions": [{"Name": "Environment", "Value": "production"}],
                   "Timestamp": %1$s, "Value": 245, "Unit": "Seconds"}]}
                """.formatted(json.writeValueAsString((double) finished.getEpochSecond()))));
    }

    private static NotificationEvent.PlanCompleted planFor(int pr) {
        var link = new PullRequestLink("acme/infra", pr, "Change " + pr,
                URI.create("https://github.com/acme/infra/pull/" + pr), "alice");
        return new NotificationEvent.PlanCompleted("staging", link, SampleEvents.STAGING,
                SampleEvents.COST, SampleEvents.PLAN);
    }

    @Test
    void nothingIsLostOrSentTwiceAcrossADispatcherRestartEvenOneThatDiedMidAttempt()
            throws Exception {
        slackAnswers(slack(503, "down"));
        List<NotificationEvent> events = List.of(planFor(101), planFor(102), planFor(103));
        String[] keys = events.stream().map(e -> slackKey(e, "#infra-review"))
                .toArray(String[]::new);
        events.forEach(wiring.publisher()::publish);
        assertThat(dispatcher.runOnce()).isEqualTo(3);
        // A second dispatcher claims one effect and dies before reporting back.
        clock.advance(Duration.ofSeconds(1));
        assertThat(store.outbox().claimDue("crashed", clock.instant(), Duration.ofMinutes(2), 1))
                .hasSize(1);

        // Stop everything, as a redeploy would, and start again on the same database file.
        close();
        remote.resetAll();
        slackAnswers(SLACK_OK);
        store = SqliteStore.openIn(dir);
        wiring = wire(store);
        dispatcher = dispatcher(store);
        settle(keys);

        for (String key : keys) {
            assertThat(entry(key).state()).as(key).isEqualTo(OutboxState.DONE);
        }
        List<ServeEvent> ok = served(HOOK, 200);
        assertThat(ok).hasSize(3);
        List<JsonNode> bodies = new ArrayList<>();
        for (ServeEvent e : ok) {
            bodies.add(json.readTree(e.getRequest().getBodyAsString()));
        }
        List<JsonNode> expected = new ArrayList<>();
        for (NotificationEvent e : events) {
            expected.add(json.readTree(slackBody(e, List.of())));
        }
        assertThat(bodies).containsExactlyInAnyOrderElementsOf(expected);
    }

    /** Publishes n distinct events, returning each call's time in nanoseconds, sorted. */
    private long[] timePublishes(int first, int n) {
        long[] nanos = new long[n];
        for (int i = 0; i < n; i++) {
            var event = planFor(first + i);
            long start = System.nanoTime();
            wiring.publisher().publish(event);
            nanos[i] = System.nanoTime() - start;
        }
        Arrays.sort(nanos);
        return nanos;
    }

    private static void report(String what, long[] nanos) {
        int n = nanos.length;
        System.out.printf("publish, %s: n=%d p50=%.2f ms p99=%.2f ms max=%.2f ms%n", what, n,
                nanos[n / 2] / 1e6, nanos[n * 99 / 100] / 1e6, nanos[n - 1] / 1e6);
    }

    @Test
    void publishingNeverWaitsForAHungSlack() {
        int n = 200;
        // Warm-up and baseline: no dispatcher at all, so nothing but the outbox write.
        timePublishes(10_000, n);
        long[] idle = timePublishes(20_000, n);
        // Every Slack call hangs until the client's read timeout; the dispatcher works on its
        // own thread meanwhile, as in the server, and shares the SQLite file.
        remote.resetAll();
        slackAnswers(slack(200, "ok").withFixedDelay(HANG));
        dispatcher.start();
        long[] hung = timePublishes(30_000, n);
        int slackCallsMeanwhile = requests(HOOK);
        // Slack recovers, so the dispatcher works through the backlog quickly and stops.
        remote.resetAll();
        slackAnswers(SLACK_OK);
        dispatcher.close();

        report("no dispatcher", idle);
        report("Slack hung, dispatcher busy (" + slackCallsMeanwhile + " Slack calls started)",
                hung);
        // Every event was queued by the time publish returned; none waited to be sent.
        assertThat(notifications("slack", "queued")).isEqualTo(3 * n);
        assertThat(slackCallsMeanwhile).isLessThan(n);
    }
}
