package io.tidegate.notify;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tidegate.wiring.AwsClients;
import io.tidegate.TestAws;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CloudWatchMetricsTest {
    private static WireMockServer cloudWatch;
    private static AwsClients aws;
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    @BeforeAll
    static void start() {
        cloudWatch = new WireMockServer(options().dynamicPort());
        cloudWatch.start();
        aws = TestAws.clients(cloudWatch.baseUrl(), Duration.ofSeconds(5));
    }

    @AfterAll
    static void stop() {
        aws.close();
        cloudWatch.stop();
    }

    @BeforeEach
    void reset() {
        cloudWatch.resetAll();
    }

    private static final String PATH =
            "/service/GraniteServiceVersion20100801/operation/PutMetricData";
    private static final Instant FINISHED = Instant.parse("2026-11-20T03:15:00Z");
    private final ObjectMapper cbor = new ObjectMapper(new CBORFactory());
    private final ObjectMapper json = new ObjectMapper();

    private void answer(int status, Map<String, String> errorBody, String queryError)
            throws Exception {
        var response = aResponse().withStatus(status)
                .withHeader("smithy-protocol", "rpc-v2-cbor")
                .withHeader("Content-Type", "application/cbor")
                .withBody(cbor.writeValueAsBytes(errorBody));
        if (!queryError.isEmpty()) {
            response.withHeader("x-amzn-query-error", queryError);
        }
        cloudWatch.stubFor(post(urlEqualTo(PATH)).willReturn(response));
    }

    private CloudWatchMetrics metrics() {
        return new CloudWatchMetrics(aws.cloudWatch(), "Tidegate/Deployments", registry);
    }

    private LoggedRequest onlyRequest() {
        List<LoggedRequest> all = cloudWatch.findAll(postRequestedFor(urlEqualTo(PATH)));
        assertThat(all).hasSize(1);
        return all.get(0);
    }

    @Test
    void successAndFailureAreCountedPerEnvironmentWithDurationInOneCall() throws Exception {
        answer(200, Map.of(), "");
        List<FinishedDeployment> results = List.of(
                new FinishedDeployment("production", true, Optional.of(Duration.ofMillis(95_500)),
                        FINISHED),
                new FinishedDeployment("staging", false, Optional.empty(), FINISHED));

        DeliveryOutcome outcome = metrics().publish(results, "outbox-9");

        assertThat(outcome).isEqualTo(DeliveryOutcome.DELIVERED);
        LoggedRequest request = onlyRequest();
        assertThat(request.getHeader("Content-Type")).isEqualTo("application/cbor");
        assertThat(request.getHeader("smithy-protocol")).isEqualTo("rpc-v2-cbor");
        assertThat(request.getHeader("Authorization")).contains("/ap-northeast-2/monitoring/");
        assertThat(request.getHeader("amz-sdk-request")).isEqualTo("attempt=1; max=1");
        double at = FINISHED.getEpochSecond();
        // Through text, so CBOR's compact number types compare equal to JSON's.
        JsonNode sent = json.readTree(json.writeValueAsString(cbor.readTree(request.getBody())));
        assertThat(sent).isEqualTo(json.readTree("""
                {"Namespace": "Tidegate/Deployments",
                 "MetricData": [
                  {"MetricName": "DeploymentSuccess", "Dimensions": [{"Name": "Environment", "Value": "production"}],
                   "Timestamp": %1$s, "Value": 1, "Unit": "Count"},
                  {"MetricName": "DeploymentFailure", "Dimensions": [{"Name": "Environment", "Value": "production"}],
                   "Timestamp": %1$s, "Value": 0, "Unit": "Count"},
                  {"MetricName": "DeploymentDuration", "Dimensions": [{"Name": "Environment", "Value": "production"}],
                   "Timestamp": %1$s, "Value": 95.5, "Unit": "Seconds"},
                  {"MetricName": "DeploymentSuccess", "Dimensions": [{"Name": "Environment", "Value": "staging"}],
                   "Timestamp": %1$s, "Value": 0, "Unit": "Count"},
                  {"MetricName": "DeploymentFailure", "Dimensions": [{"Name": "Environment", "Value": "staging"}],
                   "Timestamp": %1$s, "Value": 1, "Unit": "Count"}]}
                """.formatted(json.writeValueAsString(at))));
        assertThat(registry.get("tidegate.notifications").tag("kind", "cloudwatch")
                .tag("outcome", "delivered").counter().count()).isEqualTo(1);
    }

    @Test
    void invalidParameterFailsForGood() throws Exception {
        answer(400, Map.of("__type", "com.amazonaws.cloudwatch#InvalidParameterValueException",
                "message", "The value AWS/x for parameter Namespace is invalid."),
                "InvalidParameterValue;Sender");

        DeliveryOutcome outcome = metrics().publish(List.of(new FinishedDeployment("production",
                true, Optional.empty(), FINISHED)), "k");

        assertThat(outcome).isEqualTo(new DeliveryOutcome.Failed("CloudWatch answered 400 "
                + "InvalidParameterValue: The value AWS/x for parameter Namespace is invalid."));
    }

    @Test
    void serviceUnavailableIsRetriedWithoutSdkRetries() throws Exception {
        answer(503, Map.of("__type", "com.amazonaws.cloudwatch#InternalServiceFault",
                "message", "Service unavailable"), "InternalServiceError;Receiver");

        DeliveryOutcome outcome = metrics().publish(List.of(new FinishedDeployment("production",
                true, Optional.empty(), FINISHED)), "k");

        assertThat(outcome).isEqualTo(DeliveryOutcome.retryLater(
                "CloudWatch answered 503 InternalServiceError: Service unavailable"));
        onlyRequest();
    }

    @Test
    void nothingToSendMakesNoCall() {
        assertThat(metrics().publish(List.of(), "k")).isEqualTo(DeliveryOutcome.DELIVERED);
        assertThat(cloudWatch.getAllServeEvents()).isEmpty();
    }

    @Test
    void backlogIsSplitIntoCallsCloudWatchAccepts() {
        List<FinishedDeployment> backlog = java.util.stream.IntStream.range(0, 701)
                .mapToObj(i -> new FinishedDeployment("staging", true,
                        Optional.of(Duration.ofSeconds(i)), FINISHED))
                .toList();

        List<List<FinishedDeployment>> batches = CloudWatchMetrics.batches(backlog);

        assertThat(batches).extracting(List::size).containsExactly(300, 300, 101);
        assertThat(CloudWatchMetrics.data(batches.get(0))).hasSizeLessThanOrEqualTo(1000);
    }
}
