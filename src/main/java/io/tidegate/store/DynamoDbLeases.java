package io.tidegate.store;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;

/**
 * {@link Leases} over one DynamoDB queue table. A pending item carries {@code queue = "pending"}
 * (which puts it in a sparse index), {@code state}, {@code owner}, {@code attempts} and a lease
 * attribute: the inbox's {@code leaseUntil}, or the outbox's {@code nextAttemptAt}, which is also
 * the sort key of its {@code due} index. Every write is conditional on the fence (pending, this
 * owner, this attempt) on the table itself, never on the eventually consistent index.
 */
final class DynamoDbLeases implements Leases {
    private static final String PENDING = "PENDING";

    /**
     * @param index       the sparse index of pending items ({@code queue = "pending"})
     * @param keys        the table's key attributes
     * @param lease       the attribute holding the lease's end
     * @param leaseSorts  whether {@code lease} is the index's sort key (then a query can skip
     *                    items whose lease is over)
     * @param finishedDrop what a finished item loses besides {@code queue} and {@code owner}
     * @param noun        what an item is called in error messages ({@code inbox event})
     */
    record Table(String index, List<String> keys, String lease, boolean leaseSorts,
            List<String> finishedDrop, String noun) {
        Table {
            Objects.requireNonNull(index, "index == null");
            keys = List.copyOf(keys);
            Objects.requireNonNull(lease, "lease == null");
            finishedDrop = List.copyOf(finishedDrop);
            Objects.requireNonNull(noun, "noun == null");
        }
    }

    private final Dynamo d;
    private final String table;
    private final Table t;
    /** The table key of an item by its id; empty when the item is unknown. */
    private final Function<String, Optional<Map<String, AttributeValue>>> keyOf;

    DynamoDbLeases(Dynamo d, String table, Table t,
            Function<String, Optional<Map<String, AttributeValue>>> keyOf) {
        this.d = d;
        this.table = table;
        this.t = t;
        this.keyOf = keyOf;
    }

    /**
     * Leases a candidate read from the index to {@code worker}, if it is still pending at the
     * attempt count read and no lease runs; {@code false} when a racer won it first.
     */
    boolean take(Map<String, AttributeValue> candidate, String worker, Instant now,
            Instant until) {
        long attempts = Dynamo.num(candidate, "attempts");
        String update = "SET #owner = :worker, #" + t.lease() + " = :until, #attempts = :next";
        String condition = "#state = :pendingState AND #attempts = :attempts "
                + "AND (attribute_not_exists(#" + t.lease() + ") OR #" + t.lease() + " <= :now)";
        return d.conditional("claim " + t.noun(), () -> d.client.updateItem(b -> b
                .tableName(table).key(keyOf(candidate))
                .updateExpression(update).conditionExpression(condition)
                .expressionAttributeNames(Dynamo.names(update, condition))
                .expressionAttributeValues(Dynamo.values(":worker", Dynamo.s(worker),
                        ":until", Dynamo.n(until), ":next", Dynamo.n(attempts + 1),
                        ":pendingState", Dynamo.s(PENDING),
                        ":attempts", Dynamo.n(attempts), ":now", Dynamo.n(now)))));
    }

    @Override
    public boolean renew(Lease lease, Instant until) {
        return updateHeld(lease, "SET #" + t.lease() + " = :until",
                Dynamo.values(":until", Dynamo.n(until)));
    }

    @Override
    public boolean finish(Lease lease, String state, Optional<String> error, Instant now) {
        StringBuilder drop = new StringBuilder(" REMOVE #queue, #owner");
        t.finishedDrop().forEach(a -> drop.append(", #").append(a));
        String update = "SET #state = :state, #finishedAt = :now, #" + Dynamo.TTL + " = :ttl"
                + (error.isEmpty() ? "" : ", #lastError = :error") + drop;
        Map<String, AttributeValue> values = Dynamo.values(":state", Dynamo.s(state),
                ":now", Dynamo.n(now), ":ttl", Dynamo.ttl(now.plus(Retention.FINISHED_WORK)));
        error.ifPresent(e -> values.put(":error", Dynamo.s(e)));
        return updateHeld(lease, update, values);
    }

    @Override
    public boolean giveBack(Lease lease, String error, Instant dueAt) {
        return updateHeld(lease, "SET #lastError = :error, #" + t.lease() + " = :due "
                + "REMOVE #owner", Dynamo.values(":error", Dynamo.s(error),
                ":due", Dynamo.n(dueAt)));
    }

    @Override
    public int releaseHeldBy(String worker, Instant now) {
        String keyCondition = "#queue = :pending"
                + (t.leaseSorts() ? " AND #" + t.lease() + " > :now" : "");
        Map<String, AttributeValue> queryValues = Dynamo.values(":pending", Dynamo.s("pending"));
        if (t.leaseSorts()) {
            queryValues.put(":now", Dynamo.n(now));
        }
        QueryRequest q = QueryRequest.builder().tableName(table).indexName(t.index())
                .keyConditionExpression(keyCondition)
                .expressionAttributeNames(Dynamo.names(keyCondition))
                .expressionAttributeValues(queryValues).build();
        int released = 0;
        for (Map<String, AttributeValue> item : d.queryAll("read leased " + t.noun() + "s", q,
                i -> i, Integer.MAX_VALUE)) {
            if (worker.equals(Dynamo.str(item, "owner")) && release(item, worker, now)) {
                released++;
            }
        }
        return released;
    }

    /** Conditional on the table: the index may be behind, the lease may be over. */
    private boolean release(Map<String, AttributeValue> item, String worker, Instant now) {
        String update = "SET #" + t.lease() + " = :now REMOVE #owner";
        String condition = "#state = :pendingState AND #owner = :worker AND #" + t.lease()
                + " > :now";
        return d.conditional("release " + t.noun() + " lease", () -> d.client.updateItem(b -> b
                .tableName(table).key(keyOf(item))
                .updateExpression(update).conditionExpression(condition)
                .expressionAttributeNames(Dynamo.names(update, condition))
                .expressionAttributeValues(Dynamo.values(":now", Dynamo.n(now),
                        ":worker", Dynamo.s(worker), ":pendingState", Dynamo.s(PENDING)))));
    }

    /** An update fenced by the lease; {@code false} when stale or the item is unknown. */
    private boolean updateHeld(Lease lease, String update, Map<String, AttributeValue> values) {
        Optional<Map<String, AttributeValue>> key = keyOf.apply(lease.id());
        if (key.isEmpty()) {
            return false;
        }
        String condition = "#state = :pendingState AND #owner = :worker AND #attempts = :attempt";
        values.put(":pendingState", Dynamo.s(PENDING));
        values.put(":worker", Dynamo.s(lease.worker()));
        values.put(":attempt", Dynamo.n(lease.attempt()));
        return d.conditional("update " + t.noun(), () -> d.client.updateItem(b -> b
                .tableName(table).key(key.get()).updateExpression(update)
                .conditionExpression(condition)
                .expressionAttributeNames(Dynamo.names(update, condition))
                .expressionAttributeValues(values)));
    }

    private Map<String, AttributeValue> keyOf(Map<String, AttributeValue> item) {
        return t.keys().stream().collect(java.util.stream.Collectors.toMap(k -> k, item::get));
    }
}
