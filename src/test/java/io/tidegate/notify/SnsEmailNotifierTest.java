package io.tidegate.notify;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tidegate.wiring.AwsClients;
import io.tidegate.TestAws;
import io.tidegate.policy.NotificationRules.Event;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SnsEmailNotifierTest {
    private static final String TOPIC = "arn:aws:sns:ap-northeast-2:123456789012:tidegate-alerts";
    private static WireMockServer sns;
    private static AwsClients aws;

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final Delivery mail = new Delivery(Delivery.Kind.EMAIL, "", Event.APPLY_FAILED,
            "production", "[Tidegate] Apply failed in production: acme/infra#42",
            "Apply failed in production\n\nWhat failed:\nError: quota & limits\n");

    @BeforeAll
    static void start() {
        sns = new WireMockServer(options().dynamicPort());
        sns.start();
        aws = TestAws.clients(sns.baseUrl(), Duration.ofSeconds(5));
    }

    @AfterAll
    static void stop() {
        aws.close();
        sns.stop();
    }

    @BeforeEach
    void reset() {
        sns.resetAll();
    }

    private static final String PUBLISHED = """
            <PublishResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/">
              <PublishResult><MessageId>567910cd-659e-55d4-8ccb-5aaf14679dc0</MessageId></PublishResult>
              <ResponseMetadata><RequestId>d74b8436-ae13-5ab4-a9ff-ce54dfea72a0</RequestId></ResponseMetadata>
            </PublishResponse>""";

    private static String error(String type, String code, String message) {
        return "<ErrorResponse xmlns=\"http://sns.amazonaws.com/doc/2010-03-31/\"><Error><Type>"
                + type + "</Type><Code>" + code + "</Code><Message>" + message
                + "</Message></Error><RequestId>r-1</RequestId></ErrorResponse>";
    }

    private SnsEmailNotifier notifier() {
        return new SnsEmailNotifier(aws.sns(), TOPIC, registry);
    }

    private void answer(int status, String body) {
        sns.stubFor(post(urlEqualTo("/")).willReturn(aResponse().withStatus(status)
                .withHeader("Content-Type", "text/xml").withBody(body)));
    }

    private LoggedRequest onlyRequest() {
        List<LoggedRequest> all = sns.findAll(postRequestedFor(urlEqualTo("/")));
        assertThat(all).hasSize(1);
        return all.get(0);
    }

    @Test
    void publishesSubjectAndTextToTheTopicAsOneFormEncodedCall() {
        answer(200, PUBLISHED);

        DeliveryOutcome outcome = notifier().deliver(mail, "k1");

        assertThat(outcome).isEqualTo(DeliveryOutcome.DELIVERED);
        LoggedRequest request = onlyRequest();
        assertThat(request.getBodyAsString()).isEqualTo("Action=Publish&Version=2010-03-31"
                + "&TopicArn=arn%3Aaws%3Asns%3Aap-northeast-2%3A123456789012%3Atidegate-alerts"
                + "&Message=Apply+failed+in+production%0A%0AWhat+failed%3A%0AError%3A+quota+%26+limits%0A"
                + "&Subject=%5BTidegate%5D+Apply+failed+in+production%3A+acme%2Finfra%2342");
        assertThat(request.getHeader("Content-Type"))
                .isEqualTo("application/x-www-form-urlencoded; charset=UTF-8");
        assertThat(request.getHeader("Authorization"))
                .startsWith("AWS4-HMAC-SHA256 Credential=AKIDTEST/")
                .contains("/ap-northeast-2/sns/aws4_request");
        assertThat(request.getHeader("amz-sdk-request")).isEqualTo("attempt=1; max=1");
        assertThat(registry.get("tidegate.notifications").tag("kind", "email")
                .tag("event", "apply_failed").tag("outcome", "delivered").counter().count())
                .isEqualTo(1);
    }

    @Test
    void fifoTopicGetsTheIdempotencyKeyAsDeduplicationId() {
        answer(200, PUBLISHED);
        String fifo = "arn:aws:sns:ap-northeast-2:123456789012:tidegate-alerts.fifo";

        new SnsEmailNotifier(aws.sns(), fifo, registry).deliver(mail, "outbox-42");

        assertThat(onlyRequest().getBodyAsString()).isEqualTo("Action=Publish&Version=2010-03-31"
                + "&TopicArn=arn%3Aaws%3Asns%3Aap-northeast-2%3A123456789012%3Atidegate-alerts.fifo"
                + "&Message=Apply+failed+in+production%0A%0AWhat+failed%3A%0AError%3A+quota+%26+limits%0A"
                + "&Subject=%5BTidegate%5D+Apply+failed+in+production%3A+acme%2Finfra%2342"
                + "&MessageDeduplicationId=outbox-42&MessageGroupId=tidegate");
    }

    @Test
    void missingTopicFailsForGood() {
        answer(404, error("Sender", "NotFound", "Topic does not exist"));

        DeliveryOutcome outcome = notifier().deliver(mail, "k");

        assertThat(outcome).isEqualTo(new DeliveryOutcome.Failed(
                "SNS answered 404 NotFound: Topic does not exist"));
    }

    @Test
    void throttlingIsRetried() {
        answer(429, error("Sender", "Throttled", "Rate exceeded"));

        DeliveryOutcome outcome = notifier().deliver(mail, "k");

        assertThat(outcome).isEqualTo(DeliveryOutcome.retryLater(
                "SNS answered 429 Throttled: Rate exceeded"));
        onlyRequest();
    }

    @Test
    void serverErrorIsRetriedWithoutSdkRetries() {
        answer(500, error("Receiver", "InternalError", "Internal error"));

        DeliveryOutcome outcome = notifier().deliver(mail, "k");

        assertThat(outcome).isEqualTo(DeliveryOutcome.retryLater(
                "SNS answered 500 InternalError: Internal error"));
        onlyRequest();
    }

    @Test
    void slowSnsTimesOutAndIsRetried() {
        sns.stubFor(post(urlEqualTo("/")).willReturn(aResponse().withStatus(200)
                .withBody(PUBLISHED).withFixedDelay(5_000)));
        try (AwsClients impatient = TestAws.clients(sns.baseUrl(), Duration.ofMillis(300))) {
            DeliveryOutcome outcome = new SnsEmailNotifier(impatient.sns(), TOPIC, registry)
                    .deliver(mail, "k");

            assertThat(outcome).isInstanceOf(DeliveryOutcome.RetryLater.class);
            assertThat(((DeliveryOutcome.RetryLater) outcome).why())
                    .startsWith("SNS unreachable: ");
        }
    }
}
