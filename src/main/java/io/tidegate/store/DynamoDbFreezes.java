package io.tidegate.store;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.tidegate.decision.Freeze;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;

/**
 * Freezes in DynamoDB: one item per environment ({@code pk = environment}). An ended freeze
 * lingers until DynamoDB's TTL removes it ({@link Retention#EXPIRED_OVERRIDES} after its end);
 * reads skip it.
 */
final class DynamoDbFreezes implements FreezeStore {
    private final Dynamo d;
    private final String table;

    DynamoDbFreezes(Dynamo d) {
        this.d = d;
        this.table = d.table(DynamoDbTables.FREEZES);
    }

    @Override
    public void put(Freeze f) {
        Map<String, AttributeValue> item = new HashMap<>(Map.of(
                "environment", Dynamo.s(f.environment()), "by", Dynamo.s(f.by()),
                "reason", Dynamo.s(f.reason()), "since", Dynamo.n(f.since()),
                "overridable", AttributeValue.fromBool(f.overridable())));
        f.until().ifPresent(u -> {
            item.put("until", Dynamo.n(u));
            item.put(Dynamo.TTL, Dynamo.ttl(u.plus(Retention.EXPIRED_OVERRIDES)));
        });
        d.call("save freeze", () -> d.client.putItem(b -> b.tableName(table).item(item)));
    }

    @Override
    public Optional<Freeze> remove(String environment, Instant now) {
        Map<String, AttributeValue> old = d.call("remove freeze", () -> d.client.deleteItem(b -> b
                .tableName(table).key(Map.of("environment", Dynamo.s(environment)))
                .returnValues(ReturnValue.ALL_OLD))).attributes();
        return old == null || old.isEmpty() ? Optional.empty()
                : Optional.of(freezeOf(old)).filter(f -> f.isActiveAt(now));
    }

    @Override
    public List<Freeze> active(Instant now) {
        // one item per environment: a consistent scan is the simple, correct read
        return d.call("list freezes", () -> d.client
                .scanPaginator(b -> b.tableName(table).consistentRead(true))
                .items().stream().map(DynamoDbFreezes::freezeOf)
                .filter(f -> f.isActiveAt(now))
                .sorted(java.util.Comparator.comparing(Freeze::environment)).toList());
    }

    private static Freeze freezeOf(Map<String, AttributeValue> i) {
        return new Freeze(Dynamo.str(i, "environment"), Dynamo.str(i, "by"),
                Dynamo.str(i, "reason"), Dynamo.time(i, "since"), Dynamo.optionalTime(i, "until"),
                Boolean.TRUE.equals(i.get("overridable").bool()));
    }
}
