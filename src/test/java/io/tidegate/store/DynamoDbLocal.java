package io.tidegate.store;

import java.net.ServerSocket;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import com.amazonaws.services.dynamodbv2.local.main.ServerRunner;
import com.amazonaws.services.dynamodbv2.local.server.DynamoDBProxyServer;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * One DynamoDB Local per test JVM, in memory, serving real HTTP on a random port, so tests use
 * the real SDK client over the wire. Each store gets its own table prefix, hence empty tables.
 */
public final class DynamoDbLocal {
    private static DynamoDbLocal instance;
    private static final AtomicInteger PREFIXES = new AtomicInteger();

    public final URI endpoint;
    /** User-Agent headers of every request any test client sent. */
    final List<String> userAgents = new CopyOnWriteArrayList<>();
    private final DynamoDBProxyServer server;

    private DynamoDbLocal(URI endpoint, DynamoDBProxyServer server) {
        this.endpoint = endpoint;
        this.server = server;
    }

    public static synchronized DynamoDbLocal get() {
        if (instance == null) {
            instance = start();
        }
        return instance;
    }

    private static DynamoDbLocal start() {
        try {
            int port;
            try (ServerSocket s = new ServerSocket(0)) {
                port = s.getLocalPort();
            }
            DynamoDBProxyServer server = ServerRunner.createServerFromCommandLineArgs(
                    new String[] {"-inMemory", "-port", Integer.toString(port),
                            "-disableTelemetry"});
            server.start();
            DynamoDbLocal local = new DynamoDbLocal(URI.create("http://localhost:" + port),
                    server);
            Runtime.getRuntime().addShutdownHook(new Thread(local::stop));
            return local;
        } catch (Exception e) {
            throw new IllegalStateException("DynamoDB Local did not start", e);
        }
    }

    private void stop() {
        try {
            server.stop();
        } catch (Exception e) {
            // the JVM is exiting anyway
        }
    }

    /** A client built the way Tidegate builds it, with dummy credentials. */
    public DynamoDbClient client() {
        return DynamoDbStore.clientBuilder("us-east-1", Optional.of(endpoint))
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create("local", "local")))
                .overrideConfiguration(c -> c.addExecutionInterceptor(new ExecutionInterceptor() {
                    @Override
                    public void beforeTransmission(Context.BeforeTransmission context,
                            ExecutionAttributes attributes) {
                        context.httpRequest().firstMatchingHeader("User-Agent")
                                .ifPresent(userAgents::add);
                    }
                }))
                .build();
    }

    public static String freshPrefix() {
        return "t" + PREFIXES.incrementAndGet() + "-";
    }

    /** A store over fresh tables. */
    DynamoDbStore openFresh() {
        return DynamoDbStore.open(client(), freshPrefix(), true);
    }
}
