package io.tidegate.store;

import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;

/**
 * The review schedule in DynamoDB: one item per PR ({@code pr = owner/name#number}); an entry
 * with a due instant carries {@code queue = "due"}, which puts it in the sparse {@code due}
 * index sorted by {@code dueAt}. Clearing the due instant is conditional on the one read, so
 * of two replicas firing the same entry only one clears it (the inbox id keeps the re-review
 * itself single). {@link #all} is a consistent scan: one item per open reviewed PR.
 */
final class DynamoDbReviewSchedule implements ReviewSchedule {
    private static final String DUE = "due";
    /** Every attribute but the facts, which only the review of that one PR reads. */
    private static final String SUMMARY = "#pr, #repo, #number, #headSha, #dueAt, "
            + "#environment, #why, #environments, #lockWaits, #reviewedAt";

    private final Dynamo d;
    private final String table;

    DynamoDbReviewSchedule(Dynamo d) {
        this.d = d;
        this.table = d.table(DynamoDbTables.SCHEDULE);
    }

    private static AttributeValue key(String repo, int number) {
        return Dynamo.s(repo + "#" + number);
    }

    @Override
    public void save(ScheduledReview r, String facts) {
        Map<String, AttributeValue> item = new HashMap<>(Map.of("pr", key(r.repo(), r.number()),
                "repo", Dynamo.s(r.repo()), "number", Dynamo.n(r.number()),
                "headSha", Dynamo.s(r.headSha()), "environment", Dynamo.s(r.environment()),
                "why", Dynamo.s(r.why()),
                "environments", Dynamo.s(Codec.stringsToJson(sorted(r.environments()))),
                "lockWaits", Dynamo.s(Codec.stringsToJson(sorted(r.lockWaits()))),
                "reviewedAt", Dynamo.n(r.reviewedAt()), "facts", Dynamo.s(facts)));
        r.dueAt().ifPresent(t -> {
            item.put("dueAt", Dynamo.n(t));
            item.put("queue", Dynamo.s(DUE));
        });
        d.call("save review schedule", () -> d.client.putItem(b -> b.tableName(table)
                .item(item)));
    }

    @Override
    public Optional<ScheduledReview> get(String repo, int number) {
        return read(repo, number).map(DynamoDbReviewSchedule::of);
    }

    @Override
    public Optional<String> facts(String repo, int number) {
        return read(repo, number).map(i -> Dynamo.str(i, "facts"));
    }

    private Optional<Map<String, AttributeValue>> read(String repo, int number) {
        Map<String, AttributeValue> item = d.call("read review schedule", () -> d.client
                .getItem(b -> b.tableName(table).key(Map.of("pr", key(repo, number)))
                        .consistentRead(true))).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(item);
    }

    @Override
    public List<ScheduledReview> all() {
        List<Map<String, AttributeValue>> items = d.call("scan review schedule", () -> d.client
                .scanPaginator(b -> b.tableName(table).consistentRead(true)
                        .projectionExpression(SUMMARY)
                        .expressionAttributeNames(Dynamo.names(SUMMARY)))
                .items().stream().toList());
        return items.stream().map(DynamoDbReviewSchedule::of)
                .sorted(Comparator.comparing((ScheduledReview r) -> r.dueAt().orElse(Instant.MAX))
                        .thenComparing(ScheduledReview::key))
                .toList();
    }

    @Override
    public List<ScheduledReview> due(Instant now, int max) {
        String keyCondition = "#queue = :due AND #dueAt <= :now";
        QueryRequest q = QueryRequest.builder().tableName(table).indexName(DUE)
                .keyConditionExpression(keyCondition)
                .projectionExpression(SUMMARY + ", #queue")
                .expressionAttributeNames(Dynamo.names(keyCondition, SUMMARY))
                .expressionAttributeValues(Dynamo.values(":due", Dynamo.s(DUE),
                        ":now", Dynamo.n(now)))
                .build();
        return d.queryAll("read due reviews", q, DynamoDbReviewSchedule::of, max);
    }

    @Override
    public Optional<Instant> nextDue() {
        String keyCondition = "#queue = :due";
        QueryRequest q = QueryRequest.builder().tableName(table).indexName(DUE)
                .keyConditionExpression(keyCondition).limit(1)
                .expressionAttributeNames(Dynamo.names(keyCondition))
                .expressionAttributeValues(Dynamo.values(":due", Dynamo.s(DUE)))
                .build();
        return d.queryAll("read next due review", q, i -> Dynamo.time(i, "dueAt"), 1).stream()
                .findFirst();
    }

    @Override
    public boolean clearDue(String repo, int number, Instant dueAt) {
        String condition = "#dueAt = :seen";
        String update = "REMOVE #dueAt, #queue";
        return d.conditional("clear due review", () -> d.client.updateItem(b -> b
                .tableName(table).key(Map.of("pr", key(repo, number)))
                .updateExpression(update).conditionExpression(condition)
                .expressionAttributeNames(Dynamo.names(update, condition))
                .expressionAttributeValues(Dynamo.values(":seen", Dynamo.n(dueAt)))));
    }

    @Override
    public void remove(String repo, int number) {
        d.call("remove review schedule", () -> d.client.deleteItem(b -> b.tableName(table)
                .key(Map.of("pr", key(repo, number)))));
    }

    private static List<String> sorted(Set<String> values) {
        return List.copyOf(new TreeSet<>(values));
    }

    private static ScheduledReview of(Map<String, AttributeValue> i) {
        return new ScheduledReview(Dynamo.str(i, "repo"), (int) Dynamo.num(i, "number"),
                Dynamo.str(i, "headSha"), Dynamo.optionalTime(i, "dueAt"),
                Dynamo.str(i, "environment"), Dynamo.str(i, "why"),
                Set.copyOf(Codec.stringsFromJson(Dynamo.str(i, "environments"))),
                Set.copyOf(Codec.stringsFromJson(Dynamo.str(i, "lockWaits"))),
                Dynamo.time(i, "reviewedAt"));
    }
}
