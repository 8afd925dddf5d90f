package io.tidegate.store;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Locks in DynamoDB: one item per environment, written with a condition that lets the put
 * through only when the lock is absent, expired or ours. Exactly one racer's condition holds.
 */
final class DynamoDbLocks implements LockStore {
    private final Dynamo d;

    DynamoDbLocks(Dynamo d) {
        this.d = d;
    }

    @Override
    public LockResult acquire(String environment, String owner, Instant now, Duration ttl) {
        while (true) {
            Optional<HeldLock> before = read(environment);
            Instant acquiredAt = before.filter(l -> l.owner().equals(owner) && !l.isExpired(now))
                    .map(HeldLock::acquiredAt).orElse(now);
            HeldLock mine = new HeldLock(environment, owner, acquiredAt, now.plus(ttl));
            if (put(mine, now)) {
                return new LockResult.Acquired(mine);
            }
            Optional<HeldLock> holder = read(environment);
            // the holder may have released between our put and our read: try again
            if (holder.isPresent() && !holder.get().owner().equals(owner)
                    && !holder.get().isExpired(now)) {
                return new LockResult.Busy(holder.get());
            }
        }
    }

    private boolean put(HeldLock lock, Instant now) {
        String condition = "attribute_not_exists(#environment) OR #expiresAt <= :now "
                + "OR #owner = :owner";
        return d.conditional("acquire lock", () -> d.client.putItem(b -> b
                .tableName(d.table(DynamoDbTables.LOCKS))
                .item(Map.of("environment", Dynamo.s(lock.environment()),
                        "owner", Dynamo.s(lock.owner()),
                        "acquiredAt", Dynamo.n(lock.acquiredAt()),
                        "expiresAt", Dynamo.n(lock.expiresAt()),
                        Dynamo.TTL, Dynamo.ttl(lock.expiresAt())))
                .conditionExpression(condition)
                .expressionAttributeNames(Dynamo.names(condition))
                .expressionAttributeValues(Dynamo.values(":now", Dynamo.n(now),
                        ":owner", Dynamo.s(lock.owner())))));
    }

    @Override
    public boolean release(String environment, String owner) {
        String condition = "#owner = :owner";
        return d.conditional("release lock", () -> d.client.deleteItem(b -> b
                .tableName(d.table(DynamoDbTables.LOCKS))
                .key(Map.of("environment", Dynamo.s(environment)))
                .conditionExpression(condition)
                .expressionAttributeNames(Dynamo.names(condition))
                .expressionAttributeValues(Dynamo.values(":owner", Dynamo.s(owner)))));
    }

    @Override
    public Optional<HeldLock> current(String environment, Instant now) {
        return read(environment).filter(l -> !l.isExpired(now));
    }

    @Override
    public List<HeldLock> held(Instant now) {
        // a handful of environments: a consistent scan is the simple, correct read
        List<Map<String, AttributeValue>> items = d.call("list locks", () -> d.client
                .scanPaginator(b -> b.tableName(d.table(DynamoDbTables.LOCKS))
                        .consistentRead(true))
                .items().stream().toList());
        return items.stream().filter(i -> i.containsKey("owner")).map(DynamoDbLocks::lockOf)
                .filter(l -> !l.isExpired(now))
                .sorted(Comparator.comparing(HeldLock::environment)).toList();
    }

    private Optional<HeldLock> read(String environment) {
        Map<String, AttributeValue> item = d.call("read lock", () -> d.client.getItem(b -> b
                .tableName(d.table(DynamoDbTables.LOCKS))
                .key(Map.of("environment", Dynamo.s(environment)))
                .consistentRead(true))).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(lockOf(item));
    }

    private static HeldLock lockOf(Map<String, AttributeValue> item) {
        return new HeldLock(Dynamo.str(item, "environment"), Dynamo.str(item, "owner"),
                Dynamo.time(item, "acquiredAt"), Dynamo.time(item, "expiresAt"));
    }
}
