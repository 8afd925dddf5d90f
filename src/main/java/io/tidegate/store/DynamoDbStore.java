package io.tidegate.store;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClientBuilder;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.retries.api.RetryStrategy;

/**
 * The shared engine: DynamoDB tables, for two or more replicas with no other coordination.
 * Atomicity comes from conditional writes; retention from TTL attributes, so
 * {@link #purgeExpired} has nothing to do. Closing the store closes the client it was given.
 */
public final class DynamoDbStore implements Store {
    private final Dynamo dynamo;
    private final DynamoDbDeliveries deliveries;
    private final DynamoDbInbox inbox;
    private final DynamoDbOutbox outbox;
    private final DynamoDbAudit audit;
    private final DynamoDbCostReports costReports;
    private final DynamoDbOverrides overrides;
    private final DynamoDbLocks locks;
    private final DynamoDbDeployments deployments;
    private final DynamoDbReviewSchedule schedule;
    private final DynamoDbFreezes freezes;
    private final DynamoDbPolicyVersions policyVersions;
    private final DynamoDbReviewBoard reviewBoard;

    private DynamoDbStore(Dynamo dynamo) {
        this.dynamo = dynamo;
        this.deliveries = new DynamoDbDeliveries(dynamo);
        this.inbox = new DynamoDbInbox(dynamo);
        this.outbox = new DynamoDbOutbox(dynamo);
        this.audit = new DynamoDbAudit(dynamo);
        this.costReports = new DynamoDbCostReports(dynamo);
        this.overrides = new DynamoDbOverrides(dynamo);
        this.locks = new DynamoDbLocks(dynamo);
        this.deployments = new DynamoDbDeployments(dynamo);
        this.schedule = new DynamoDbReviewSchedule(dynamo);
        this.freezes = new DynamoDbFreezes(dynamo);
        this.policyVersions = new DynamoDbPolicyVersions(dynamo);
        this.reviewBoard = new DynamoDbReviewBoard(dynamo);
    }

    /** Attempts per DynamoDB call, the first included, before a {@link StoreException}. */
    public static final int MAX_ATTEMPTS = 4;

    /**
     * The client Tidegate uses: the SDK's URL-connection HTTP client (no Apache, no Netty),
     * the region, and an endpoint override for DynamoDB Local. Credentials come from the SDK's
     * default chain unless the caller sets them on the builder.
     *
     * <p>Retries are bounded: the SDK's standard strategy (throttling and 5xx are retried) with
     * {@link #MAX_ATTEMPTS} attempts and throttling back-off from 100 ms to 1 s. The SDK's own
     * DynamoDB default (9 attempts, back-off up to 20 s) could hold a webhook for half a minute,
     * far beyond GitHub's 10 s delivery timeout; failing within about two seconds lets the
     * route answer 503 while GitHub still listens.
     */
    public static DynamoDbClientBuilder clientBuilder(String region, Optional<URI> endpoint) {
        DynamoDbClientBuilder b = DynamoDbClient.builder()
                .httpClient(UrlConnectionHttpClient.create())
                .region(Region.of(region))
                .overrideConfiguration(c -> c.retryStrategy(retryStrategy()));
        endpoint.ifPresent(b::endpointOverride);
        return b;
    }

    static RetryStrategy retryStrategy() {
        return AwsRetryStrategy.standardRetryStrategy().toBuilder()
                .maxAttempts(MAX_ATTEMPTS)
                .backoffStrategy(BackoffStrategy.exponentialDelay(Duration.ofMillis(25),
                        Duration.ofMillis(500)))
                .throttlingBackoffStrategy(BackoffStrategy.exponentialDelay(
                        Duration.ofMillis(100), Duration.ofSeconds(1)))
                .build();
    }

    /**
     * Opens the tables named {@code tablePrefix + name}: creates missing ones when
     * {@code createTables}, otherwise throws a {@link StoreException} naming every missing one.
     */
    public static DynamoDbStore open(DynamoDbClient client, String tablePrefix,
            boolean createTables) {
        Dynamo dynamo = new Dynamo(client, tablePrefix);
        try {
            if (createTables) {
                DynamoDbTables.create(dynamo);
            } else {
                DynamoDbTables.verify(dynamo);
            }
        } catch (RuntimeException e) {
            client.close();
            throw e;
        }
        return new DynamoDbStore(dynamo);
    }

    @Override
    public DeliveryStore deliveries() {
        return deliveries;
    }

    @Override
    public InboxStore inbox() {
        return inbox;
    }

    @Override
    public OutboxStore outbox() {
        return outbox;
    }

    @Override
    public AuditStore audit() {
        return audit;
    }

    @Override
    public CostReportStore costReports() {
        return costReports;
    }

    @Override
    public FreezeStore freezes() {
        return freezes;
    }

    @Override
    public OverrideStore overrides() {
        return overrides;
    }

    @Override
    public LockStore locks() {
        return locks;
    }

    @Override
    public DeploymentStore deployments() {
        return deployments;
    }

    @Override
    public ReviewSchedule schedule() {
        return schedule;
    }

    @Override
    public AuditLog auditLog() {
        return audit;
    }

    @Override
    public PolicyVersionStore policyVersions() {
        return policyVersions;
    }

    /**
     * The audit and policy versions of existing tables, for reading only: no table is created
     * or described, so credentials allowing {@code dynamodb:Query} on the audit table (and its
     * {@code byTime} index) and the policy-versions table suffice. A missing table shows as a
     * {@link StoreException} on the first read, naming it.
     */
    public static AuditArchive openAuditReadOnly(DynamoDbClient client, String tablePrefix) {
        Dynamo dynamo = new Dynamo(client, tablePrefix);
        AuditLog log = new DynamoDbAudit(dynamo);
        PolicyVersionStore versions = new DynamoDbPolicyVersions(dynamo);
        return new AuditArchive() {
            @Override
            public AuditLog log() {
                return log;
            }

            @Override
            public PolicyVersionStore policyVersions() {
                return versions;
            }

            @Override
            public String describe() {
                return "dynamodb tables " + tablePrefix + "audit, " + tablePrefix
                        + "policy-versions (read-only)";
            }

            @Override
            public void close() {
                client.close();
            }
        };
    }


    @Override
    public ReviewBoardStore reviewBoard() {
        return reviewBoard;
    }

    @Override
    public DeploymentFigures deploymentFigures() {
        // the byEnvironment/byStart indexes give the records; counted in memory
        // (TTL keeps 90 days, so "since the epoch" is the retained history)
        return DeploymentFigures.of(s -> deployments.startedSince(s.environment(),
                Instant.EPOCH));
    }

    @Override
    public void ping() {
        dynamo.call("ping", () -> dynamo.client.getItem(b -> b
                .tableName(dynamo.table(DynamoDbTables.LOCKS))
                .key(Map.of("environment", Dynamo.s("#ping")))));
    }

    @Override
    public int purgeExpired(Instant now) {
        return 0;
    }

    @Override
    public String describe() {
        return "dynamodb tables " + dynamo.prefix + "*";
    }

    @Override
    public void close() {
        dynamo.client.close();
    }
}
