package io.tidegate.store;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;

/**
 * The audit searched in DynamoDB. With a repo it is a Query of that partition (newest first,
 * stopping once the page is full); without one the audit table has no index across
 * repositories, so it is a Scan of the table, filtered and sorted here: fine for a dashboard
 * over months of one organisation, linear in the table. The id is {@code repo|sk}.
 */
final class DynamoDbDecisionLog implements DecisionLog {
    private static final Comparator<Entry> NEWEST_FIRST = Comparator
            .comparing((Entry e) -> e.record().time()).thenComparing(Entry::id).reversed();

    private final Dynamo d;
    private final String table;

    DynamoDbDecisionLog(Dynamo d) {
        this.d = d;
        this.table = d.table(DynamoDbTables.AUDIT);
    }

    @Override
    public Page search(DecisionSearch q) {
        Optional<String[]> after = q.cursor().map(DynamoDbDecisionLog::cursor);
        List<Entry> matching = new ArrayList<>();
        if (q.repo().isPresent()) {
            QueryRequest request = QueryRequest.builder().tableName(table)
                    .scanIndexForward(false).keyConditionExpression("#repo = :repo")
                    .expressionAttributeNames(Dynamo.names("#repo = :repo"))
                    .expressionAttributeValues(Dynamo.values(":repo", Dynamo.s(q.repo().get())))
                    .build();
            // sk starts with the sortable time: the partition comes newest first
            for (Entry e : d.queryAll("search audit", request, DynamoDbDecisionLog::entryOf,
                    Integer.MAX_VALUE)) {
                if (matches(q, e, after)) {
                    matching.add(e);
                    if (matching.size() > q.limit()) {
                        break;
                    }
                }
            }
        } else {
            for (Entry e : scan()) {
                if (matches(q, e, after)) {
                    matching.add(e);
                }
            }
        }
        matching.sort(NEWEST_FIRST);
        if (matching.size() <= q.limit()) {
            return new Page(matching, Optional.empty());
        }
        List<Entry> items = matching.subList(0, q.limit());
        Entry last = items.get(items.size() - 1);
        String raw = last.record().time().toEpochMilli() + ":" + last.id();
        return new Page(items, Optional.of(Base64.getUrlEncoder().withoutPadding()
                .encodeToString(raw.getBytes(StandardCharsets.UTF_8))));
    }

    private List<Entry> scan() {
        List<Entry> out = new ArrayList<>();
        ScanRequest next = ScanRequest.builder().tableName(table).build();
        while (true) {
            ScanRequest r = next;
            ScanResponse page = d.call("scan audit", () -> d.client.scan(r));
            page.items().forEach(i -> out.add(entryOf(i)));
            if (!page.hasLastEvaluatedKey() || page.lastEvaluatedKey().isEmpty()) {
                return out;
            }
            next = r.toBuilder().exclusiveStartKey(page.lastEvaluatedKey()).build();
        }
    }

    private static boolean matches(DecisionSearch q, Entry e, Optional<String[]> after) {
        AuditRecord r = e.record();
        if (after.isPresent()) {
            long t = Long.parseLong(after.get()[0]);
            long mine = r.time().toEpochMilli();
            if (mine > t || (mine == t && e.id().compareTo(after.get()[1]) >= 0)) {
                return false;
            }
        }
        return q.pr().map(pr -> pr == r.pr()).orElse(true)
                && q.environment().map(r.environment()::equals).orElse(true)
                && q.verdict().map(r.decision()::equals).orElse(true)
                && q.from().map(f -> !r.time().isBefore(f)).orElse(true)
                && q.until().map(u -> r.time().isBefore(u)).orElse(true);
    }

    private static String[] cursor(String cursor) {
        try {
            String raw = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            int colon = raw.indexOf(':');
            Long.parseLong(raw.substring(0, colon));
            return new String[] {raw.substring(0, colon), raw.substring(colon + 1)};
        } catch (IllegalArgumentException | StringIndexOutOfBoundsException e) {
            throw new IllegalArgumentException("cursor is malformed", e);
        }
    }

    private static Entry entryOf(Map<String, AttributeValue> i) {
        return new Entry(Dynamo.str(i, "repo") + "|" + Dynamo.str(i, "sk"), new AuditRecord(
                Dynamo.time(i, "time"), Dynamo.str(i, "repo"), (int) Dynamo.num(i, "pr"),
                Dynamo.str(i, "headSha"), Dynamo.str(i, "project"),
                Dynamo.str(i, "environment"), Dynamo.str(i, "command"), Dynamo.str(i, "actor"),
                Dynamo.str(i, "decision"), Codec.stringsFromJson(Dynamo.str(i, "reasonCodes")),
                Dynamo.str(i, "policyHash"), Dynamo.str(i, "factsJson")));
    }
}
