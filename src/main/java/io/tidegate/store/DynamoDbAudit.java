package io.tidegate.store;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;

/**
 * Audit in DynamoDB: {@code pk = repo}, {@code sk = time#uuid}, each put conditional on the
 * item being new, and no code path that updates or deletes one.
 */
final class DynamoDbAudit implements AuditStore {
    private final Dynamo d;
    private final String table;

    DynamoDbAudit(Dynamo d) {
        this.d = d;
        this.table = d.table(DynamoDbTables.AUDIT);
    }

    @Override
    public void append(AuditRecord r) {
        String sk = Codec.sortableTime(r.time()) + "#" + UUID.randomUUID();
        String condition = "attribute_not_exists(#repo)";
        d.call("append audit record", () -> d.client.putItem(b -> b.tableName(table)
                .item(Map.ofEntries(Map.entry("repo", Dynamo.s(r.repo())),
                        Map.entry("sk", Dynamo.s(sk)), Map.entry("time", Dynamo.n(r.time())),
                        Map.entry("pr", Dynamo.n(r.pr())),
                        Map.entry("headSha", Dynamo.s(r.headSha())),
                        Map.entry("project", Dynamo.s(r.project())),
                        Map.entry("environment", Dynamo.s(r.environment())),
                        Map.entry("command", Dynamo.s(r.command())),
                        Map.entry("actor", Dynamo.s(r.actor())),
                        Map.entry("decision", Dynamo.s(r.decision())),
                        Map.entry("reasonCodes", Dynamo.s(Codec.stringsToJson(r.reasonCodes()))),
                        Map.entry("policyHash", Dynamo.s(r.policyHash())),
                        Map.entry("factsJson", Dynamo.s(r.factsJson()))))
                .conditionExpression(condition)
                .expressionAttributeNames(Dynamo.names(condition))));
    }

    @Override
    public List<AuditRecord> forRepository(String repo, int limit) {
        return query(repo, null, limit);
    }

    @Override
    public List<AuditRecord> forPullRequest(String repo, int pr, int limit) {
        return query(repo, pr, limit);
    }

    private List<AuditRecord> query(String repo, Integer pr, int limit) {
        String keyCondition = "#repo = :repo";
        String filter = pr == null ? null : "#pr = :pr";
        Map<String, AttributeValue> values = Dynamo.values(":repo", Dynamo.s(repo));
        if (pr != null) {
            values.put(":pr", Dynamo.n(pr));
        }
        QueryRequest q = QueryRequest.builder().tableName(table).scanIndexForward(false)
                .keyConditionExpression(keyCondition).filterExpression(filter)
                .expressionAttributeNames(Dynamo.names(keyCondition, filter))
                .expressionAttributeValues(values).build();
        return d.queryAll("read audit", q, DynamoDbAudit::recordOf, limit);
    }

    private static AuditRecord recordOf(Map<String, AttributeValue> i) {
        return new AuditRecord(Dynamo.time(i, "time"), Dynamo.str(i, "repo"),
                (int) Dynamo.num(i, "pr"), Dynamo.str(i, "headSha"), Dynamo.str(i, "project"),
                Dynamo.str(i, "environment"), Dynamo.str(i, "command"), Dynamo.str(i, "actor"),
                Dynamo.str(i, "decision"), Codec.stringsFromJson(Dynamo.str(i, "reasonCodes")),
                Dynamo.str(i, "policyHash"), Dynamo.str(i, "factsJson"));
    }
}
