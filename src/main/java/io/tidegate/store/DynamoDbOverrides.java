package io.tidegate.store;

import java.util.List;
import java.util.Map;

import io.tidegate.decision.Override;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;

/** Overrides in DynamoDB: {@code pk = repo#pr}, {@code sk = at#environment#user}. */
final class DynamoDbOverrides implements OverrideStore {
    private final Dynamo d;
    private final String table;

    DynamoDbOverrides(Dynamo d) {
        this.d = d;
        this.table = d.table(DynamoDbTables.OVERRIDES);
    }

    @java.lang.Override
    public void add(OverrideRecord r) {
        d.call("save override", () -> d.client.putItem(b -> b.tableName(table)
                .item(itemOf(r))));
    }

    private static Map<String, AttributeValue> itemOf(OverrideRecord r) {
        Override o = r.override();
        return Map.ofEntries(Map.entry("pk", Dynamo.s(r.repo() + "#" + r.pr())),
                Map.entry("sk", Dynamo.s(Codec.sortableTime(o.at()) + "#" + r.environment()
                        + "#" + o.user())),
                Map.entry("repo", Dynamo.s(r.repo())), Map.entry("pr", Dynamo.n(r.pr())),
                Map.entry("environment", Dynamo.s(r.environment())),
                Map.entry("user", Dynamo.s(o.user())),
                Map.entry("commitSha", Dynamo.s(o.commitSha())),
                Map.entry("at", Dynamo.n(o.at())), Map.entry("reason", Dynamo.s(o.reason())),
                Map.entry("expiresAt", Dynamo.n(r.expiresAt())),
                Map.entry(Dynamo.TTL, Dynamo.ttl(r.expiresAt().plus(
                        Retention.EXPIRED_OVERRIDES))));
    }

    @java.lang.Override
    public List<OverrideRecord> forPullRequest(String repo, int pr) {
        String keyCondition = "#pk = :pk";
        QueryRequest q = QueryRequest.builder().tableName(table).consistentRead(true)
                .keyConditionExpression(keyCondition)
                .expressionAttributeNames(Dynamo.names(keyCondition))
                .expressionAttributeValues(Dynamo.values(":pk", Dynamo.s(repo + "#" + pr)))
                .build();
        return d.queryAll("read overrides", q, DynamoDbOverrides::recordOf, Integer.MAX_VALUE);
    }

    private static OverrideRecord recordOf(Map<String, AttributeValue> i) {
        Override o = new Override(Dynamo.str(i, "user"), Dynamo.str(i, "commitSha"),
                Dynamo.time(i, "at"), Dynamo.str(i, "reason"));
        return new OverrideRecord(Dynamo.str(i, "repo"), (int) Dynamo.num(i, "pr"),
                Dynamo.str(i, "environment"), o, Dynamo.time(i, "expiresAt"));
    }
}
