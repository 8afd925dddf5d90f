package io.tidegate;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import io.tidegate.wiring.AwsClients;

/** Real AWS SDK clients aimed at a stand-in (WireMock) with fixed test credentials. */
public final class TestAws {
    private TestAws() {}

    public static AwsClients clients(String endpoint, Duration timeout) {
        return new AwsClients(Region.AP_NORTHEAST_2, Optional.of(URI.create(endpoint)),
                StaticCredentialsProvider.create(
                        AwsBasicCredentials.create("AKIDTEST", "test-secret")),
                timeout);
    }
}
