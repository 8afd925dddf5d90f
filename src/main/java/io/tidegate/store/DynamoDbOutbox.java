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

    DynamoDbOutbox(Dynamo d) {
        this.d = d;
        this.table = d.table(DynamoDbTables.OUTBOX);
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
    public int releaseHeldBy(String worker, Instant now) {
        String keyCondition = "#queue = :pending AND #nextAttemptAt > :now";
        QueryRequest q = QueryRequest.builder().tableName(table).indexName("due")
                .keyConditionExpression(keyCondition)
                .expressionAttributeNames(Dynamo.names(keyCondition))
                .expressionAttributeValues(Dynamo.values(":pending", Dynamo.s(PENDING),
                        ":now", Dynamo.n(now)))
                .build();
        int released = 0;
        for (Map<String, AttributeValue> item : d.queryAll("read leased effects", q, i -> i,
                Integer.MAX_VALUE)) {
            if (!worker.equals(Dynamo.str(item, "owner"))) {
                continue;
            }
            String update = "SET #nextAttemptAt = :now REMOVE #owner";
            String condition = "#state = :pendingState AND #owner = :worker "
                    + "AND #nextAttemptAt > :now";
            if (d.conditional("release effect lease", () -> d.client.updateItem(b -> b
                    .tableName(table)
                    .key(Map.of("idempotencyKey", item.get("idempotencyKey")))
                    .updateExpression(update).conditionExpression(condition)
                    .expressionAttributeNames(Dynamo.names(update, condition))
                    .expressionAttributeValues(Dynamo.values(":now", Dynamo.n(now),
                            ":worker", Dynamo.s(worker),
                            ":pendingState", Dynamo.s(OutboxState.PENDING.name())))))) {
                released++;
            }
        }
        return released;
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
        long attempts = Dynamo.num(candidate, "attempts");
        String update = "SET #owner = :worker, #nextAttemptAt = :until, #attempts = :next";
        String condition = "#state = :pendingState AND #attempts = :attempts "
                + "AND #nextAttemptAt <= :now";
        boolean won = d.conditional("claim effect", () -> d.client.updateItem(b -> b
                .tableName(table)
                .key(Map.of("idempotencyKey", candidate.get("idempotencyKey")))
                .updateExpression(update).conditionExpression(condition)
                .expressionAttributeNames(Dynamo.names(update, condition))
                .expressionAttributeValues(Dynamo.values(":worker", Dynamo.s(worker),
                        ":until", Dynamo.n(until), ":next", Dynamo.n(attempts + 1),
                        ":pendingState", Dynamo.s(OutboxState.PENDING.name()),
                        ":attempts", Dynamo.n(attempts), ":now", Dynamo.n(now)))));
        return won ? Optional.of(new OutboxClaim(effectOf(candidate), worker,
                (int) attempts + 1, until)) : Optional.empty();
    }

    @Override
    public boolean renew(OutboxClaim claim, Instant until) {
        return updateOwned(claim, "SET #nextAttemptAt = :until",
                Dynamo.values(":until", Dynamo.n(until)));
    }

    @Override
    public boolean markDone(OutboxClaim claim, Instant now) {
        return finish(claim, OutboxState.DONE, null, now);
    }

    @Override
    public boolean giveUp(OutboxClaim claim, String error, Instant now) {
        return finish(claim, OutboxState.GAVE_UP, error, now);
    }

    private boolean finish(OutboxClaim claim, OutboxState state, String error, Instant now) {
        String update = "SET #state = :state, #finishedAt = :now, #" + Dynamo.TTL + " = :ttl"
                + (error == null ? "" : ", #lastError = :error") + " REMOVE #queue, #owner";
        Map<String, AttributeValue> values = Dynamo.values(":state", Dynamo.s(state.name()),
                ":now", Dynamo.n(now), ":ttl", Dynamo.ttl(now.plus(Retention.FINISHED_WORK)));
        if (error != null) {
            values.put(":error", Dynamo.s(error));
        }
        return updateOwned(claim, update, values);
    }

    @Override
    public boolean retryAt(OutboxClaim claim, String error, Instant nextAttempt) {
        String update = "SET #lastError = :error, #nextAttemptAt = :next REMOVE #owner";
        return updateOwned(claim, update, Dynamo.values(":error", Dynamo.s(error),
                ":next", Dynamo.n(nextAttempt)));
    }

    private boolean updateOwned(OutboxClaim claim, String update,
            Map<String, AttributeValue> values) {
        String condition = "#state = :pendingState AND #owner = :worker AND #attempts = :attempt";
        values.put(":pendingState", Dynamo.s(OutboxState.PENDING.name()));
        values.put(":worker", Dynamo.s(claim.worker()));
        values.put(":attempt", Dynamo.n(claim.attempt()));
        return d.conditional("update effect", () -> d.client.updateItem(b -> b.tableName(table)
                .key(Map.of("idempotencyKey", Dynamo.s(claim.effect().idempotencyKey())))
                .updateExpression(update).conditionExpression(condition)
                .expressionAttributeNames(Dynamo.names(update, condition))
                .expressionAttributeValues(values)));
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
