package io.tidegate.store;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;

/**
 * Deployment history in DynamoDB: {@code pk = id}; {@code startKey = start#id} sorts newest
 * first in the {@code byEnvironment} index and, with the constant {@code all = "all"}, in the
 * {@code byStart} index. Kept 90 days by TTL. Lists read those indexes, which DynamoDB updates
 * shortly after a save (eventually consistent); {@link #get} reads the table itself.
 */
final class DynamoDbDeployments implements DeploymentStore {
    private final Dynamo d;
    private final String table;

    DynamoDbDeployments(Dynamo d) {
        this.d = d;
        this.table = d.table(DynamoDbTables.DEPLOYMENTS);
    }

    private static String startKey(Instant start, String id) {
        return Codec.sortableTime(start) + "#" + id;
    }

    @Override
    public void save(Deployment x) {
        d.call("save deployment", () -> d.client.putItem(b -> b.tableName(table)
                .item(item(x))));
    }

    @Override
    public boolean saveIfRunning(Deployment x) {
        String condition = "#result = :running";
        return d.conditional("end running deployment", () -> d.client.putItem(b -> b
                .tableName(table).item(item(x)).conditionExpression(condition)
                .expressionAttributeNames(Dynamo.names(condition))
                .expressionAttributeValues(Dynamo.values(":running",
                        Dynamo.s(DeploymentStatus.RUNNING.name())))));
    }

    private static Map<String, AttributeValue> item(Deployment x) {
        Map<String, AttributeValue> item = new HashMap<>(Map.ofEntries(
                Map.entry("id", Dynamo.s(x.id())), Map.entry("repo", Dynamo.s(x.repo())),
                Map.entry("pr", Dynamo.n(x.pr())), Map.entry("commitSha", Dynamo.s(x.commitSha())),
                Map.entry("project", Dynamo.s(x.project())),
                Map.entry("environment", Dynamo.s(x.environment())),
                Map.entry("actor", Dynamo.s(x.actor())),
                Map.entry("startedAt", Dynamo.n(x.startedAt())),
                Map.entry("result", Dynamo.s(x.result().name())),
                Map.entry("all", Dynamo.s("all")),
                Map.entry("startKey", Dynamo.s(startKey(x.startedAt(), x.id()))),
                Map.entry(Dynamo.TTL, Dynamo.ttl(x.startedAt().plus(Retention.DEPLOYMENTS)))));
        x.finishedAt().ifPresent(t -> item.put("finishedAt", Dynamo.n(t)));
        x.treeSha().ifPresent(t -> item.put("treeSha", Dynamo.s(t)));
        return item;
    }

    @Override
    public Optional<Deployment> get(String id) {
        Map<String, AttributeValue> item = d.call("read deployment", () -> d.client.getItem(b -> b
                .tableName(table).key(Map.of("id", Dynamo.s(id))).consistentRead(true))).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(deploymentOf(item));
    }

    @Override
    public DeploymentPage list(DeploymentQuery q) {
        Map<String, AttributeValue> values = new HashMap<>();
        String keyCondition = indexKey(q.environment(), values);
        if (q.cursor().isPresent()) {
            Map.Entry<Long, String> after = Codec.cursor(q.cursor().get());
            keyCondition += " AND #startKey < :after";
            values.put(":after", Dynamo.s(startKey(Instant.ofEpochMilli(after.getKey()),
                    after.getValue())));
        }
        String filter = q.repo().map(r -> "#repo = :repo").orElse(null);
        q.repo().ifPresent(r -> values.put(":repo", Dynamo.s(r)));
        QueryRequest request = QueryRequest.builder().tableName(table)
                .indexName(q.environment().isPresent() ? "byEnvironment" : "byStart")
                .scanIndexForward(false).keyConditionExpression(keyCondition)
                .filterExpression(filter)
                .expressionAttributeNames(Dynamo.names(keyCondition, filter))
                .expressionAttributeValues(values).build();
        List<Deployment> rows = d.queryAll("list deployments", request,
                DynamoDbDeployments::deploymentOf, q.limit() + 1);
        return SqliteDeployments.page(rows, q.limit());
    }

    @Override
    public List<Deployment> startedSince(Optional<String> environment, Instant from) {
        Map<String, AttributeValue> values = new HashMap<>();
        String keyCondition = indexKey(environment, values) + " AND #startKey >= :from";
        values.put(":from", Dynamo.s(Codec.sortableTime(from)));
        QueryRequest request = QueryRequest.builder().tableName(table)
                .indexName(environment.isPresent() ? "byEnvironment" : "byStart")
                .scanIndexForward(false).keyConditionExpression(keyCondition)
                .expressionAttributeNames(Dynamo.names(keyCondition))
                .expressionAttributeValues(values).build();
        return d.queryAll("read deployments", request, DynamoDbDeployments::deploymentOf,
                Integer.MAX_VALUE);
    }

    private static String indexKey(Optional<String> environment,
            Map<String, AttributeValue> values) {
        if (environment.isPresent()) {
            values.put(":env", Dynamo.s(environment.get()));
            return "#environment = :env";
        }
        values.put(":all", Dynamo.s("all"));
        return "#all = :all";
    }

    private static Deployment deploymentOf(Map<String, AttributeValue> i) {
        return new Deployment(Dynamo.str(i, "id"), Dynamo.str(i, "repo"),
                (int) Dynamo.num(i, "pr"), Dynamo.str(i, "commitSha"), Dynamo.str(i, "project"),
                Dynamo.str(i, "environment"), Dynamo.str(i, "actor"),
                Dynamo.time(i, "startedAt"), Dynamo.optionalTime(i, "finishedAt"),
                DeploymentStatus.valueOf(Dynamo.str(i, "result")),
                Optional.ofNullable(i.get("treeSha")).map(AttributeValue::s));
    }
}
