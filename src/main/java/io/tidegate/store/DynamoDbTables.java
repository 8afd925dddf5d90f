package io.tidegate.store;

import java.util.ArrayList;
import java.util.List;

import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveSpecification;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveStatus;

/**
 * The DynamoDB tables Tidegate uses (on-demand billing, TTL on {@link Dynamo#TTL}), created on
 * start-up when asked to, otherwise checked so a missing table is named at once instead of
 * failing the first webhook.
 */
final class DynamoDbTables {
    static final String DELIVERIES = "deliveries";
    static final String INBOX = "inbox";
    static final String OUTBOX = "outbox";
    static final String AUDIT = "audit";
    static final String COST_REPORTS = "cost-reports";
    static final String OVERRIDES = "overrides";
    static final String LOCKS = "locks";
    static final String DEPLOYMENTS = "deployments";
    static final String SCHEDULE = "schedule";
    static final String FREEZES = "freezes";
    static final String POLICY_VERSIONS = "policy-versions";
    static final String REVIEW_BOARD = "review-board";

    /** A secondary index: partition key, sort key and their types. */
    record Index(String name, String pk, String sk, ScalarAttributeType skType) {}

    /** A table: its name without prefix, key attributes (sort key may be null), indexes. */
    record Table(String name, String pk, String sk, List<Index> indexes) {}

    static final List<Table> ALL = List.of(
            new Table(DELIVERIES, "id", null, List.of()),
            new Table(INBOX, "pk", "sk", List.of(
                    new Index("pending", "queue", "seq", ScalarAttributeType.N))),
            new Table(OUTBOX, "idempotencyKey", null, List.of(
                    new Index("due", "queue", "nextAttemptAt", ScalarAttributeType.N))),
            // byTime: every record under the constant stream = "all", in time order, for the
            // organisation-wide read (export, replay, what-if)
            new Table(AUDIT, "repo", "sk", List.of(
                    new Index("byTime", "stream", "sk", ScalarAttributeType.S))),
            new Table(COST_REPORTS, "pk", "sk", List.of()),
            new Table(OVERRIDES, "pk", "sk", List.of()),
            new Table(LOCKS, "environment", null, List.of()),
            new Table(DEPLOYMENTS, "id", null, List.of(
                    new Index("byEnvironment", "environment", "startKey", ScalarAttributeType.S),
                    new Index("byStart", "all", "startKey", ScalarAttributeType.S))),
            new Table(SCHEDULE, "pr", null, List.of(
                    new Index("due", "queue", "dueAt", ScalarAttributeType.N))),
            new Table(FREEZES, "environment", null, List.of()),
            new Table(POLICY_VERSIONS, "sha256", "part", List.of()),
            new Table(REVIEW_BOARD, "pk", null, List.of()));

    private DynamoDbTables() {}

    /** Creates every missing table (and waits until active) and turns TTL on. */
    static void create(Dynamo d) {
        for (Table t : ALL) {
            String name = d.table(t.name());
            try {
                d.call("create table " + name, () -> d.client.createTable(createRequest(d, t)));
            } catch (StoreException e) {
                if (!(e.getCause() instanceof ResourceInUseException)) {
                    throw e;
                }
            }
            d.call("wait for table " + name, () -> d.client.waiter()
                    .waitUntilTableExists(b -> b.tableName(name)));
            addMissingIndexes(d, t);
            // a second replica starting with table creation finds TTL on: enabling it again
            // is an error in DynamoDB
            TimeToLiveStatus ttl = d.call("read TTL of " + name, () -> d.client
                    .describeTimeToLive(b -> b.tableName(name))).timeToLiveDescription()
                    .timeToLiveStatus();
            if (ttl == TimeToLiveStatus.ENABLED || ttl == TimeToLiveStatus.ENABLING) {
                continue;
            }
            d.call("enable TTL on " + name, () -> d.client.updateTimeToLive(b -> b
                    .tableName(name)
                    .timeToLiveSpecification(TimeToLiveSpecification.builder()
                            .attributeName(Dynamo.TTL).enabled(true).build())));
        }
    }

    /**
     * Adds the indexes a table created by an older Tidegate lacks (DynamoDB builds them in the
     * background; records written before carry no index key and stay out of them).
     */
    private static void addMissingIndexes(Dynamo d, Table t) {
        String name = d.table(t.name());
        for (Index i : missingIndexes(d, t)) {
            d.call("add index " + i.name() + " to " + name, () -> d.client.updateTable(b -> b
                    .tableName(name)
                    .attributeDefinitions(attr(i.pk(), ScalarAttributeType.S),
                            attr(i.sk(), i.skType()))
                    .globalSecondaryIndexUpdates(u -> u.create(c -> c.indexName(i.name())
                            .keySchema(key(i.pk(), KeyType.HASH), key(i.sk(), KeyType.RANGE))
                            .projection(p -> p.projectionType(ProjectionType.ALL))))));
        }
    }

    private static List<Index> missingIndexes(Dynamo d, Table t) {
        if (t.indexes().isEmpty()) {
            return List.of();
        }
        String name = d.table(t.name());
        List<String> present = d.call("describe table " + name, () -> d.client.describeTable(
                b -> b.tableName(name))).table().globalSecondaryIndexes().stream()
                .map(g -> g.indexName()).toList();
        return t.indexes().stream().filter(i -> !present.contains(i.name())).toList();
    }

    /** Throws naming every missing table. */
    static void verify(Dynamo d) {
        List<String> missing = new ArrayList<>();
        for (Table t : ALL) {
            String name = d.table(t.name());
            try {
                d.call("describe table " + name, () -> d.client.describeTable(b -> b
                        .tableName(name)));
            } catch (StoreException e) {
                if (!(e.getCause() instanceof ResourceNotFoundException)) {
                    throw e;
                }
                missing.add(name);
                continue;
            }
            missingIndexes(d, t).forEach(i -> missing.add(name + " (index " + i.name() + ")"));
        }
        if (!missing.isEmpty()) {
            throw new StoreException("DynamoDB table" + (missing.size() > 1 ? "s " : " ")
                    + String.join(", ", missing) + (missing.size() > 1 ? " do" : " does")
                    + " not exist: create " + (missing.size() > 1 ? "them" : "it")
                    + " or set TIDEGATE_DYNAMODB_CREATE_TABLES=true");
        }
    }

    private static CreateTableRequest createRequest(Dynamo d, Table t) {
        List<AttributeDefinition> attrs = new ArrayList<>();
        List<KeySchemaElement> keys = new ArrayList<>();
        attrs.add(attr(t.pk(), ScalarAttributeType.S));
        keys.add(key(t.pk(), KeyType.HASH));
        if (t.sk() != null) {
            attrs.add(attr(t.sk(), ScalarAttributeType.S));
            keys.add(key(t.sk(), KeyType.RANGE));
        }
        List<GlobalSecondaryIndex> indexes = new ArrayList<>();
        for (Index i : t.indexes()) {
            addOnce(attrs, attr(i.pk(), ScalarAttributeType.S));
            addOnce(attrs, attr(i.sk(), i.skType()));
            indexes.add(GlobalSecondaryIndex.builder().indexName(i.name())
                    .keySchema(key(i.pk(), KeyType.HASH), key(i.sk(), KeyType.RANGE))
                    .projection(Projection.builder().projectionType(ProjectionType.ALL).build())
                    .build());
        }
        CreateTableRequest.Builder b = CreateTableRequest.builder().tableName(d.table(t.name()))
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(attrs).keySchema(keys);
        if (!indexes.isEmpty()) {
            b.globalSecondaryIndexes(indexes);
        }
        return b.build();
    }

    private static void addOnce(List<AttributeDefinition> attrs, AttributeDefinition a) {
        if (attrs.stream().noneMatch(x -> x.attributeName().equals(a.attributeName()))) {
            attrs.add(a);
        }
    }

    private static AttributeDefinition attr(String name, ScalarAttributeType type) {
        return AttributeDefinition.builder().attributeName(name).attributeType(type).build();
    }

    private static KeySchemaElement key(String name, KeyType type) {
        return KeySchemaElement.builder().attributeName(name).keyType(type).build();
    }
}
