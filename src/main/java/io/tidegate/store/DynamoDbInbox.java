package io.tidegate.store;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.Select;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * The inbox in DynamoDB. Events live under their ordering key ({@code pk = key},
 * {@code sk = sequence}), so "is this the oldest unfinished event of its key" is one strongly
 * consistent query. A global counter item numbers events; an id marker item (written in the
 * same transaction) makes ids unique. Unfinished events carry {@code queue = "pending"}, which
 * puts them in the sparse {@code pending} index that claims scan in sequence order.
 */
final class DynamoDbInbox implements InboxStore {
    private static final String PENDING = "pending";
    private static final String COUNTER_PK = "#counter";
    private static final String ID_PREFIX = "#id#";
    private static final Duration MARKER_RETENTION = Duration.ofDays(30);
    /** Attempts of an add whose transaction conflicted with another replica's. */
    private static final int CONFLICT_ATTEMPTS = 4;

    private final Dynamo d;
    private final String table;
    private final DynamoDbLeases leases;

    DynamoDbInbox(Dynamo d) {
        this.d = d;
        this.table = d.table(DynamoDbTables.INBOX);
        this.leases = new DynamoDbLeases(d, table, new DynamoDbLeases.Table("pending",
                List.of("pk", "sk"), "leaseUntil", false, List.of("leaseUntil"), "inbox event"),
                this::keyOf);
    }

    @Override
    public Leases leases() {
        return leases;
    }

    @Override
    public boolean add(InboxEvent e, boolean supersedeQueued) {
        long seq = nextSequence();
        String sk = String.format("%020d", seq);
        Map<String, AttributeValue> item = Map.of("pk", Dynamo.s(e.orderingKey()),
                "sk", Dynamo.s(sk), "id", Dynamo.s(e.id()), "kind", Dynamo.s(e.kind()),
                "payload", Dynamo.s(e.payload()), "receivedAt", Dynamo.n(e.receivedAt()),
                "state", Dynamo.s(InboxState.PENDING.name()), "attempts", Dynamo.n(0),
                "queue", Dynamo.s(PENDING), "seq", Dynamo.n(seq));
        Map<String, AttributeValue> marker = Map.of("pk", Dynamo.s(ID_PREFIX + e.id()),
                "sk", Dynamo.s("-"), "key", Dynamo.s(e.orderingKey()), "eventSk", Dynamo.s(sk),
                // ids stay unique well past any redelivery; then the marker goes by TTL
                Dynamo.TTL, Dynamo.ttl(e.receivedAt().plus(MARKER_RETENTION)));
        String absent = "attribute_not_exists(#pk)";
        for (int attempt = 1; ; attempt++) {
            try {
                d.call("add inbox event", () -> d.client.transactWriteItems(b -> b.transactItems(
                        TransactWriteItem.builder().put(Put.builder().tableName(table)
                                .item(marker).conditionExpression(absent)
                                .expressionAttributeNames(Dynamo.names(absent)).build()).build(),
                        TransactWriteItem.builder().put(Put.builder().tableName(table).item(item)
                                .build()).build())));
                break;
            } catch (StoreException ex) {
                if (isDuplicateId(ex)) {
                    return false;
                }
                // Two replicas got the same delivery at once: the other one's transaction
                // holds the marker. Once it ends the marker is there (a duplicate) or not.
                if (!isConflict(ex) || attempt == CONFLICT_ATTEMPTS) {
                    throw ex;
                }
                if (markerExists(e.id())) {
                    return false;
                }
                pause(attempt);
            }
        }
        if (supersedeQueued) {
            supersedeOlder(e, sk);
        }
        return true;
    }

    /**
     * The marker's condition failed: the id is known. Any other cancellation (a conflicting
     * transaction) is a failure the caller retries, never a silent "duplicate".
     */
    private static boolean isConflict(StoreException ex) {
        return ex.getCause() instanceof TransactionCanceledException t
                && t.hasCancellationReasons()
                && t.cancellationReasons().stream()
                        .anyMatch(r -> "TransactionConflict".equals(r.code()));
    }

    private boolean markerExists(String id) {
        return read(Map.of("pk", Dynamo.s(ID_PREFIX + id), "sk", Dynamo.s("-"))).isPresent();
    }

    /** 20, 40, 80 ms: a conflicting transaction ends within milliseconds. */
    private static void pause(int attempt) {
        try {
            Thread.sleep(20L << (attempt - 1));
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted while adding an inbox event", ie);
        }
    }

    private static boolean isDuplicateId(StoreException ex) {
        return ex.getCause() instanceof TransactionCanceledException t
                && t.hasCancellationReasons()
                && t.cancellationReasons().stream()
                        .anyMatch(r -> "ConditionalCheckFailed".equals(r.code()));
    }

    private long nextSequence() {
        Map<String, AttributeValue> out = d.call("number inbox event", () -> d.client
                .updateItem(b -> b.tableName(table)
                        .key(Map.of("pk", Dynamo.s(COUNTER_PK), "sk", Dynamo.s("-")))
                        .updateExpression("ADD #n :one")
                        .expressionAttributeNames(Dynamo.names("#n"))
                        .expressionAttributeValues(Dynamo.values(":one", Dynamo.n(1)))
                        .returnValues(ReturnValue.UPDATED_NEW))).attributes();
        return Dynamo.num(out, "n");
    }

    private void supersedeOlder(InboxEvent e, String sk) {
        Instant now = e.receivedAt();
        String keyCondition = "#pk = :pk AND #sk < :sk";
        QueryRequest q = QueryRequest.builder().tableName(table).consistentRead(true)
                .keyConditionExpression(keyCondition)
                .expressionAttributeNames(Dynamo.names(keyCondition))
                .expressionAttributeValues(Dynamo.values(":pk", Dynamo.s(e.orderingKey()),
                        ":sk", Dynamo.s(sk)))
                .build();
        String update = "SET #state = :superseded, #finishedAt = :now, #"
                + Dynamo.TTL + " = :ttl REMOVE #queue, #owner, #leaseUntil";
        // only events no worker holds: a leased one finishes, then the new one runs after it
        String condition = "#state = :pending AND (attribute_not_exists(#owner) "
                + "OR #leaseUntil <= :now)";
        for (Map<String, AttributeValue> older : d.queryAll("read inbox key", q, i -> i,
                Integer.MAX_VALUE)) {
            if (!InboxState.PENDING.name().equals(Dynamo.str(older, "state"))) {
                continue;
            }
            d.conditional("supersede inbox event", () -> d.client.updateItem(b -> b
                    .tableName(table).key(keyOf(older))
                    .updateExpression(update).conditionExpression(condition)
                    .expressionAttributeNames(Dynamo.names(update, condition))
                    .expressionAttributeValues(Dynamo.values(
                            ":superseded", Dynamo.s(InboxState.SUPERSEDED.name()),
                            ":pending", Dynamo.s(InboxState.PENDING.name()),
                            ":now", Dynamo.n(now),
                            ":ttl", Dynamo.ttl(now.plus(Retention.FINISHED_WORK))))));
        }
    }

    @Override
    public Optional<InboxClaim> claim(String worker, Instant now, Duration lease) {
        String keyCondition = "#queue = :pending";
        QueryRequest q = QueryRequest.builder().tableName(table).indexName("pending")
                .keyConditionExpression(keyCondition)
                .expressionAttributeNames(Dynamo.names(keyCondition))
                .expressionAttributeValues(Dynamo.values(":pending", Dynamo.s(PENDING)))
                .build();
        Set<String> keysSeen = new HashSet<>();
        QueryRequest next = q;
        while (true) {
            QueryRequest r = next;
            var page = d.call("scan pending inbox", () -> d.client.query(r));
            for (Map<String, AttributeValue> candidate : page.items()) {
                // only the first unfinished event of a key may run
                if (!keysSeen.add(Dynamo.str(candidate, "pk"))) {
                    continue;
                }
                Optional<InboxClaim> claim = tryClaim(candidate, worker, now, lease);
                if (claim.isPresent()) {
                    return claim;
                }
            }
            if (!page.hasLastEvaluatedKey() || page.lastEvaluatedKey().isEmpty()) {
                return Optional.empty();
            }
            next = r.toBuilder().exclusiveStartKey(page.lastEvaluatedKey()).build();
        }
    }

    private Optional<InboxClaim> tryClaim(Map<String, AttributeValue> candidate, String worker,
            Instant now, Duration lease) {
        if (candidate.containsKey("leaseUntil")
                && Dynamo.time(candidate, "leaseUntil").isAfter(now)) {
            return Optional.empty();
        }
        // the index is eventually consistent: confirm on the table that nothing older waits
        if (hasOlderUnfinished(candidate)) {
            return Optional.empty();
        }
        Instant until = now.plus(lease);
        int attempt = (int) Dynamo.num(candidate, "attempts") + 1;
        if (!leases.take(candidate, worker, now, until)) {
            return Optional.empty();
        }
        return Optional.of(new InboxClaim(eventOf(candidate), worker, attempt, until));
    }

    private boolean hasOlderUnfinished(Map<String, AttributeValue> candidate) {
        String keyCondition = "#pk = :pk AND #sk < :sk";
        String filter = "#state = :pendingState";
        int count = d.call("check inbox order", () -> d.client.query(b -> b.tableName(table)
                .consistentRead(true).select(Select.COUNT)
                .keyConditionExpression(keyCondition).filterExpression(filter)
                .expressionAttributeNames(Dynamo.names(keyCondition, filter))
                .expressionAttributeValues(Dynamo.values(":pk", candidate.get("pk"),
                        ":sk", candidate.get("sk"),
                        ":pendingState", Dynamo.s(InboxState.PENDING.name()))))).count();
        return count > 0;
    }

    @Override
    public Optional<InboxStatus> status(String id) {
        return keyOf(id).flatMap(this::read).map(item -> new InboxStatus(id,
                InboxState.valueOf(Dynamo.str(item, "state")),
                (int) Dynamo.num(item, "attempts"),
                Optional.ofNullable(Dynamo.str(item, "lastError"))));
    }

    @Override
    public long countPending() {
        // the sparse pending index holds exactly the unfinished events; COUNT reads no attributes
        String keyCondition = "#queue = :pending";
        return d.count("count inbox", QueryRequest.builder().tableName(table)
                .indexName("pending").keyConditionExpression(keyCondition)
                .expressionAttributeNames(Dynamo.names(keyCondition))
                .expressionAttributeValues(Dynamo.values(":pending", Dynamo.s(PENDING)))
                .build());
    }

    /** The table key of event {@code id}, from its marker item. */
    private Optional<Map<String, AttributeValue>> keyOf(String id) {
        return read(Map.of("pk", Dynamo.s(ID_PREFIX + id), "sk", Dynamo.s("-")))
                .map(m -> Map.of("pk", m.get("key"), "sk", m.get("eventSk")));
    }

    private Optional<Map<String, AttributeValue>> read(Map<String, AttributeValue> key) {
        Map<String, AttributeValue> item = d.call("read inbox", () -> d.client.getItem(b -> b
                .tableName(table).key(key).consistentRead(true))).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(item);
    }

    private static Map<String, AttributeValue> keyOf(Map<String, AttributeValue> item) {
        return Map.of("pk", item.get("pk"), "sk", item.get("sk"));
    }

    private static InboxEvent eventOf(Map<String, AttributeValue> item) {
        return new InboxEvent(Dynamo.str(item, "id"), Dynamo.str(item, "pk"),
                Dynamo.str(item, "kind"), Dynamo.str(item, "payload"),
                Dynamo.time(item, "receivedAt"));
    }
}
