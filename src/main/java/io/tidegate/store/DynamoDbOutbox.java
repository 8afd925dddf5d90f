package io.tidegate.store;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;

/**
 * The outbox in DynamoDB: one item per idempotency key; pending items carry
 * {@code queue = "pending"} and sit in the sparse {@code due} index sorted by next attempt.
 * A claim is a conditional update on the attempt count it read, so racers cannot both win.
 */
final class DynamoDbOutbox implements OutboxStore {
    private static final String PENDING = "pending";

    private final Dynamo d;
    private final String table;
    private final DynamoDbLeases leases;

    DynamoDbOutbox(Dynamo d) {
        this.d = d;
        this.table = d.table(DynamoDbTables.OUTBOX);
        this.leases = new DynamoDbLeases(d, table, new DynamoDbLeases.Table("due",
                List.of("idempotencyKey"), "nextAttemptAt", true, List.of(), "effect"),
                key -> Optional.of(Map.of("idempotencyKey", Dynamo.s(key))));
    }

    @Override
    public Leases leases() {
        return leases;
    }

    @Override
    public boolean enqueue(Effect e, Instant now) {
        String condition = "attribute_not_exists(#idempotencyKey)";
        return d.conditional("enqueue effect", () -> d.client.putItem(b -> b.tableName(table)
                .item(Map.of("idempotencyKey", Dynamo.s(e.idempotencyKey()),
                        "kind", Dynamo.s(e.kind()), "payload", Dynamo.s(e.payload()),
                        "state", Dynamo.s(OutboxState.PENDING.name()),
                        "attempts", Dynamo.n(0), "createdAt", Dynamo.n(now),
                        "nextAttemptAt", Dynamo.n(now), "queue", Dynamo.s(PENDING)))
                .conditionExpression(condition)
                .expressionAttributeNames(Dynamo.names(condition))));
    }

    @Override
    public List<OutboxClaim> claimDue(String worker, Instant now, Duration lease, int max) {
        String keyCondition = "#queue = :pending AND #nextAttemptAt <= :now";
        QueryRequest q = QueryRequest.builder().tableName(table).indexName("due")
                .keyConditionExpression(keyCondition)
                .expressionAttributeNames(Dynamo.names(keyCondition))
                .expressionAttributeValues(Dynamo.values(":pending", Dynamo.s(PENDING),
                        ":now", Dynamo.n(now)))
                .build();
        List<OutboxClaim> claims = new ArrayList<>();
        // read a little more than asked: some candidates go to racing dispatchers
        for (Map<String, AttributeValue> candidate : d.queryAll("read due effects", q, i -> i,
                max * 2 + 10)) {
            if (claims.size() == max) {
                break;
            }
            tryClaim(candidate, worker, now, now.plus(lease)).ifPresent(claims::add);
        }
        return claims;
    }

    private Optional<OutboxClaim> tryClaim(Map<String, AttributeValue> candidate,
            String worker, Instant now, Instant until) {
        int attempt = (int) Dynamo.num(candidate, "attempts") + 1;
        return leases.take(candidate, worker, now, until)
                ? Optional.of(new OutboxClaim(effectOf(candidate), worker, attempt, until))
                : Optional.empty();
    }

    @Override
    public long countPending() {
        // the sparse due index holds exactly the pending effects; COUNT reads no attributes
        String keyCondition = "#queue = :pending";
        return d.count("count outbox", QueryRequest.builder().tableName(table).indexName("due")
                .keyConditionExpression(keyCondition)
                .expressionAttributeNames(Dynamo.names(keyCondition))
                .expressionAttributeValues(Dynamo.values(":pending", Dynamo.s(PENDING)))
                .build());
    }

    @Override
    public Optional<OutboxEntry> get(String key) {
        Map<String, AttributeValue> item = d.call("read effect", () -> d.client.getItem(b -> b
                .tableName(table).key(Map.of("idempotencyKey", Dynamo.s(key)))
                .consistentRead(true))).item();
        if (item == null || item.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new OutboxEntry(effectOf(item),
                OutboxState.valueOf(Dynamo.str(item, "state")), (int) Dynamo.num(item, "attempts"),
                Dynamo.time(item, "createdAt"), Dynamo.time(item, "nextAttemptAt"),
                Optional.ofNullable(Dynamo.str(item, "lastError"))));
    }

    private static Effect effectOf(Map<String, AttributeValue> item) {
        return new Effect(Dynamo.str(item, "idempotencyKey"), Dynamo.str(item, "kind"),
                Dynamo.str(item, "payload"));
    }
}
