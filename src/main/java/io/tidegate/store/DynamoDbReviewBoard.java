package io.tidegate.store;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;

/**
 * The review board in DynamoDB: {@code pk = repo#pr}. Listing is a Scan: the table holds the
 * open PRs only (an entry goes when its PR closes), a few hundred items at most.
 */
final class DynamoDbReviewBoard implements ReviewBoardStore {
    private final Dynamo d;
    private final String table;

    DynamoDbReviewBoard(Dynamo d) {
        this.d = d;
        this.table = d.table(DynamoDbTables.REVIEW_BOARD);
    }

    @Override
    public void put(Entry e) {
        d.call("save review", () -> d.client.putItem(b -> b.tableName(table).item(Map.of(
                "pk", Dynamo.s(e.repo() + "#" + e.pr()), "repo", Dynamo.s(e.repo()),
                "pr", Dynamo.n(e.pr()), "reviewedAt", Dynamo.n(e.reviewedAt()),
                "json", Dynamo.s(e.json())))));
    }

    @Override
    public void remove(String repo, int pr) {
        d.call("remove review", () -> d.client.deleteItem(b -> b.tableName(table)
                .key(Map.of("pk", Dynamo.s(repo + "#" + pr)))));
    }

    @Override
    public Optional<Entry> get(String repo, int pr) {
        Map<String, AttributeValue> item = d.call("read review", () -> d.client.getItem(b -> b
                .tableName(table).consistentRead(true)
                .key(Map.of("pk", Dynamo.s(repo + "#" + pr))))).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(entryOf(item));
    }

    @Override
    public List<Entry> all() {
        List<Entry> out = new ArrayList<>();
        ScanRequest next = ScanRequest.builder().tableName(table).build();
        while (true) {
            ScanRequest r = next;
            ScanResponse page = d.call("read reviews", () -> d.client.scan(r));
            page.items().forEach(i -> out.add(entryOf(i)));
            if (!page.hasLastEvaluatedKey() || page.lastEvaluatedKey().isEmpty()) {
                break;
            }
            next = r.toBuilder().exclusiveStartKey(page.lastEvaluatedKey()).build();
        }
        out.sort(Comparator.comparing(Entry::reviewedAt).reversed()
                .thenComparing(Entry::repo).thenComparingInt(Entry::pr));
        return out;
    }

    private static Entry entryOf(Map<String, AttributeValue> i) {
        return new Entry(Dynamo.str(i, "repo"), (int) Dynamo.num(i, "pr"),
                Dynamo.time(i, "reviewedAt"), Dynamo.str(i, "json"));
    }
}
