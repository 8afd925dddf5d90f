package io.tidegate.store;

import java.time.Instant;

/**
 * Delivery ids in DynamoDB: a put that succeeds only if the id is absent or expired (TTL
 * deletes lazily, so an expired item may still be there).
 */
final class DynamoDbDeliveries implements DeliveryStore {
    private final Dynamo d;

    DynamoDbDeliveries(Dynamo d) {
        this.d = d;
    }

    @Override
    public boolean markSeen(String deliveryId, Instant now) {
        Instant expires = now.plus(Retention.DELIVERIES);
        String condition = "attribute_not_exists(#id) OR #expiresAt <= :now";
        return d.conditional("mark delivery seen", () -> d.client.putItem(b -> b
                .tableName(d.table(DynamoDbTables.DELIVERIES))
                .item(java.util.Map.of("id", Dynamo.s(deliveryId),
                        "expiresAt", Dynamo.n(expires), Dynamo.TTL, Dynamo.ttl(expires)))
                .conditionExpression(condition)
                .expressionAttributeNames(Dynamo.names(condition))
                .expressionAttributeValues(Dynamo.values(":now", Dynamo.n(now)))));
    }
}
