package io.tidegate.store;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import java.net.URI;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.extension.requestfilter.RequestFilterAction;
import com.github.tomakehurst.wiremock.extension.requestfilter.RequestFilterV2;
import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * A WireMock proxy in front of DynamoDB Local that answers chosen requests the way DynamoDB
 * does when a table is over its capacity: HTTP 400 with
 * {@code ProvisionedThroughputExceededException} or {@code ThrottlingException} in the JSON
 * error, the request never reaching the table. Everything else is forwarded unchanged.
 */
final class ThrottlingProxy implements AutoCloseable {
    private static final String PROVISIONED = "{\"__type\":\"com.amazonaws.dynamodb.v20120810"
            + "#ProvisionedThroughputExceededException\",\"message\":\"The level of configured "
            + "provisioned throughput for the table was exceeded. Consider increasing your "
            + "provisioning level with the UpdateTable API.\"}";
    private static final String THROTTLING = "{\"__type\":\"com.amazon.coral.availability"
            + "#ThrottlingException\",\"message\":\"Rate of requests exceeds the allowed "
            + "throughput.\"}";

    private final Filter filter = new Filter();
    private final WireMockServer server;

    ThrottlingProxy() {
        server = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort()
                .disableRequestJournal().extensions(filter));
        server.start();
        server.stubFor(any(anyUrl()).willReturn(aResponse()
                .proxiedFrom(DynamoDbLocal.get().endpoint.toString())));
    }

    /** A client built as Tidegate builds it (bounded retries included), through the proxy. */
    DynamoDbClient client() {
        return DynamoDbStore.clientBuilder("us-east-1",
                        Optional.of(URI.create(server.baseUrl())))
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create("local", "local")))
                .build();
    }

    /** Throttles the next {@code n} requests, then forwards again. */
    void throttleNext(int n) {
        filter.probability = 0;
        filter.next.set(n);
    }

    /** Throttles every request. */
    void throttleAll() {
        filter.probability = 1;
    }

    /** Throttles each request with probability {@code p}, drawn from a seeded generator. */
    void throttleRandomly(double p, long seed) {
        filter.random = new Random(seed);
        filter.probability = p;
    }

    void stopThrottling() {
        filter.probability = 0;
        filter.next.set(0);
    }

    int throttled() {
        return filter.throttled.get();
    }

    /** Requests that reached the proxy, throttled or not. */
    int requests() {
        return filter.requests.values().stream().mapToInt(AtomicInteger::get).sum();
    }

    /** Requests of a DynamoDB operation ({@code PutItem}, ...) that reached the proxy. */
    int requests(String operation) {
        return filter.requests.getOrDefault(operation, new AtomicInteger()).get();
    }

    @Override
    public void close() {
        server.stop();
    }

    private static final class Filter implements RequestFilterV2 {
        final AtomicInteger next = new AtomicInteger();
        final AtomicInteger throttled = new AtomicInteger();
        final Map<String, AtomicInteger> requests = new ConcurrentHashMap<>();
        volatile double probability;
        volatile Random random = new Random(1);

        @Override
        public RequestFilterAction filter(Request request, ServeEvent serveEvent) {
            String target = String.valueOf(request.getHeader("X-Amz-Target"));
            requests.computeIfAbsent(target.substring(target.indexOf('.') + 1),
                    k -> new AtomicInteger()).incrementAndGet();
            if (!throttle()) {
                return RequestFilterAction.continueWith(request);
            }
            // both of DynamoDB's throttling answers, in turn
            String body = throttled.incrementAndGet() % 2 == 0 ? PROVISIONED : THROTTLING;
            return RequestFilterAction.stopWith(ResponseDefinitionBuilder.responseDefinition()
                    .withStatus(400).withHeader("Content-Type", "application/x-amz-json-1.0")
                    .withHeader("x-amzn-RequestId", "throttled-" + throttled.get())
                    .withBody(body).build());
        }

        private boolean throttle() {
            if (next.getAndUpdate(n -> Math.max(n - 1, 0)) > 0) {
                return true;
            }
            double p = probability;
            if (p <= 0) {
                return false;
            }
            synchronized (this) {
                return random.nextDouble() < p;
            }
        }

        @Override
        public boolean applyToAdmin() {
            return false;
        }

        @Override
        public boolean applyToStubs() {
            return true;
        }

        @Override
        public String getName() {
            return "dynamodb-throttling";
        }
    }
}
