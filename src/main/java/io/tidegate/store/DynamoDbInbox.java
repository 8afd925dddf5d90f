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
    /** The key's head item: {@code pk = "#head#" + key}, the newest superseding event's sk. */
    private static final String HEAD_PREFIX = "#head#";
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

    /**
     * Supersedes the key's older queued events at a cost that does not grow with the key's
     * history (issue 19: querying every event the key kept for 7 days cost 68 read units per
     * intake after 845 events). The key's head item holds a mark: the sequence of the newest
     * superseding event, below which every event was superseded already or held by a worker
     * then (held ones finish on their own). Each superseding add moves the mark to itself
     * (conditionally, never backwards) and reads only the events between the old mark and
     * itself, usually the previous superseding event and the few added since. If another
     * replica's newer event moved the mark past this one first, that one covers the range, and
     * this event, older, supersedes itself.
     */
    private void supersedeOlder(InboxEvent e, String sk) {
        Instant now = e.receivedAt();
        String update = "SET #mark = :sk, #" + Dynamo.TTL + " = :ttl";
        String condition = "attribute_not_exists(#mark) OR #mark < :sk";
        Map<String, AttributeValue> before = new java.util.HashMap<>();
        boolean moved = d.conditional("move inbox mark", () -> before.putAll(d.client
                .updateItem(b -> b.tableName(table)
                        .key(Map.of("pk", Dynamo.s(HEAD_PREFIX + e.orderingKey()),
                                "sk", Dynamo.s("-")))
                        .updateExpression(update).conditionExpression(condition)
                        .expressionAttributeNames(Dynamo.names(update, condition))
                        .expressionAttributeValues(Dynamo.values(":sk", Dynamo.s(sk),
                                ":ttl", Dynamo.ttl(now.plus(Retention.FINISHED_WORK))))
                        .returnValues(ReturnValue.UPDATED_OLD)).attributes()));
        if (!moved) {
            supersede(e.orderingKey(), sk, now);
            return;
        }
        // "0" sorts before every 20-digit sequence: no mark yet means the whole key, once
        String mark = before.containsKey("mark") ? Dynamo.str(before, "mark") : "0";
        String keyCondition = "#pk = :pk AND #sk BETWEEN :from AND :to";
        QueryRequest q = QueryRequest.builder().tableName(table).consistentRead(true)
                .keyConditionExpression(keyCondition)
                .expressionAttributeNames(Dynamo.names(keyCondition))
                .expressionAttributeValues(Dynamo.values(":pk", Dynamo.s(e.orderingKey()),
                        ":from", Dynamo.s(mark), ":to", Dynamo.s(sk)))
                .build();
        for (Map<String, AttributeValue> older : d.queryAll("read inbox key", q, i -> i,
                Integer.MAX_VALUE)) {
            String olderSk = Dynamo.str(older, "sk");
            if (!olderSk.equals(sk) && InboxState.PENDING.name().equals(
                    Dynamo.str(older, "state"))) {
                supersede(e.orderingKey(), olderSk, now);
            }
        }
    }

    /** Supersedes the event at {@code sk} of {@code key} if it still waits and no worker holds it. */
    private void supersede(String key, String sk, Instant now) {
        String update = "SET #state = :superseded, #finishedAt = :now, #"
                + Dynamo.TTL + " = :ttl REMOVE #queue, #owner, #leaseUntil";
        // only events no worker holds: a leased one finishes, then the new one runs after it
        String condition = "#state = :pending AND (attribute_not_exists(#owner) "
                + "OR #leaseUntil <= :now)";
        d.conditional("supersede inbox event", () -> d.client.updateItem(b -> b
                .tableName(table).key(Map.of("pk", Dynamo.s(key), "sk", Dynamo.s(sk)))
                .updateExpression(update).conditionExpression(condition)
                .expressionAttributeNames(Dynamo.names(update, condition))
                .expressionAttributeValues(Dynamo.values(
                        ":superseded", Dynamo.s(InboxState.SUPERSEDED.name()),
                        ":pending", Dynamo.s(InboxState.PENDING.name()),
                        ":now", Dynamo.n(now),
                        ":ttl", Dynamo.ttl(now.plus(Retention.FINISHED_WORK))))));
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
