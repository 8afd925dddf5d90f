package io.tidegate.wiring;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.sns.SnsClient;

/**
 * Builds the AWS SDK clients Tidegate uses for notifications, metrics and secrets, all on one
 * url-connection HTTP client (no Apache, no Netty), in one region, with the endpoint override
 * tests point at WireMock ({@code TIDEGATE_AWS_ENDPOINT}). Closing this closes every client it
 * built and the HTTP client.
 *
 * <p>SNS and CloudWatch clients make exactly one attempt per call: the outbox retries with its
 * own backoff, and SDK retries underneath would multiply them. Secrets Manager, read once at
 * start-up, keeps the SDK's standard retries.
 */
public final class AwsClients implements AutoCloseable {
    private final Region region;
    private final Optional<URI> endpoint;
    private final AwsCredentialsProvider credentials;
    private final Duration callTimeout;
    private final SdkHttpClient http;
    private final List<AutoCloseable> built = new ArrayList<>();

    public AwsClients(Region region, Optional<URI> endpoint, AwsCredentialsProvider credentials,
            Duration callTimeout) {
        this.region = Objects.requireNonNull(region, "region == null");
        this.endpoint = Objects.requireNonNull(endpoint, "endpoint == null");
        this.credentials = Objects.requireNonNull(credentials, "credentials == null");
        this.callTimeout = Objects.requireNonNull(callTimeout, "callTimeout == null");
        this.http = UrlConnectionHttpClient.builder()
                .connectionTimeout(callTimeout)
                .socketTimeout(callTimeout)
                .build();
    }

    public synchronized SnsClient sns() {
        return keep(configure(SnsClient.builder(), false).build());
    }

    public synchronized CloudWatchClient cloudWatch() {
        return keep(configure(CloudWatchClient.builder(), false).build());
    }

    public synchronized SecretsManagerClient secretsManager() {
        return keep(configure(SecretsManagerClient.builder(), true).build());
    }

    private <B extends AwsClientBuilder<B, ?> & AwsSyncClientBuilder<B, ?>> B configure(
            B builder, boolean sdkRetries) {
        ClientOverrideConfiguration.Builder override = ClientOverrideConfiguration.builder()
                .apiCallTimeout(callTimeout.multipliedBy(sdkRetries ? 3 : 1));
        if (!sdkRetries) {
            override.retryStrategy(AwsRetryStrategy.doNotRetry());
        }
        builder.region(region)
                .credentialsProvider(credentials)
                .overrideConfiguration(override.build());
        endpoint.ifPresent(builder::endpointOverride);
        return builder.httpClient(http);
    }

    private <C extends AutoCloseable> C keep(C client) {
        built.add(client);
        return client;
    }

    @Override
    public synchronized void close() {
        for (AutoCloseable c : built) {
            try {
                c.close();
            } catch (Exception e) {
                // closing an SDK client only releases resources; nothing to report
            }
        }
        built.clear();
        http.close();
    }
}
