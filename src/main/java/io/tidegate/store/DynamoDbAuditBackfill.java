package io.tidegate.store;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;

/**
 * Puts audit rows written before the {@code byTime} index into it ({@code tidegate audit
 * backfill}): a Scan of the audit table for items without {@code stream}, each given
 * {@code stream = "all"} by an update conditional on the attribute still being absent. That
 * attribute is the index key only: the recorded decision is not touched, so the audit stays
 * append-only in content. Until this has run, such rows are read per repository only (not by
 * {@code GET /api/v1/decisions} without a repo, {@code tidegate audit export}, the dashboard's
 * organisation-wide trail, or {@code tidegate replay ID}).
 *
 * <p>Idempotent: a second run (or two at once) finds nothing or loses the condition and skips.
 * Resumable: after each page {@link Progress#resumeFrom()} names the scan's position; a run
 * given it goes on from there (a run from the start is also correct, only reads more). Needs
 * {@code dynamodb:Scan} and {@code dynamodb:UpdateItem} on the audit table.
 */
public final class DynamoDbAuditBackfill {
    /** Items a Scan page evaluates by default (DynamoDB also stops a page at 1 MB). */
    public static final int PAGE = 500;

    /** How far a run is: items read, index keys set, and where to go on from (none: done). */
    public record Progress(long scanned, long updated, Optional<String> resumeFrom) {
        public Progress {
            Objects.requireNonNull(resumeFrom, "resumeFrom == null");
        }
    }

    private final Dynamo d;
    private final String table;
    private final int page;

    public DynamoDbAuditBackfill(DynamoDbClient client, String tablePrefix) {
        this(client, tablePrefix, PAGE);
    }

    DynamoDbAuditBackfill(DynamoDbClient client, String tablePrefix, int page) {
        this.d = new Dynamo(Objects.requireNonNull(client, "client == null"),
                Objects.requireNonNull(tablePrefix, "tablePrefix == null"));
        this.table = d.table(DynamoDbTables.AUDIT);
        if (page < 1) {
            throw new IllegalArgumentException("page < 1: " + page);
        }
        this.page = page;
    }

    /**
     * Scans from {@code resumeFrom} (a {@link Progress#resumeFrom()} of an earlier run) or
     * from the start, telling {@code afterEachPage} the progress; returns the last progress.
     * {@link IllegalArgumentException} when {@code resumeFrom} is not one this class gave.
     */
    public Progress run(Optional<String> resumeFrom, Consumer<Progress> afterEachPage) {
        String filter = "attribute_not_exists(#stream)";
        String projection = "#repo, #sk";
        ScanRequest.Builder request = ScanRequest.builder().tableName(table).limit(page)
                .filterExpression(filter).projectionExpression(projection)
                .expressionAttributeNames(Dynamo.names(filter, "#repo #sk"));
        resumeFrom.map(DynamoDbAuditBackfill::position).ifPresent(request::exclusiveStartKey);
        long scanned = 0;
        long updated = 0;
        while (true) {
            ScanRequest r = request.build();
            ScanResponse response = d.call("scan audit for rows outside the index",
                    () -> d.client.scan(r));
            scanned += response.scannedCount();
            for (Map<String, AttributeValue> key : response.items()) {
                if (index(key)) {
                    updated++;
                }
            }
            boolean more = response.hasLastEvaluatedKey()
                    && !response.lastEvaluatedKey().isEmpty();
            Progress p = new Progress(scanned, updated, more
                    ? Optional.of(cursor(response.lastEvaluatedKey())) : Optional.empty());
            afterEachPage.accept(p);
            if (!more) {
                return p;
            }
            request.exclusiveStartKey(response.lastEvaluatedKey());
        }
    }

    /** Sets the index key unless it is set already (by another run); whether this set it. */
    private boolean index(Map<String, AttributeValue> key) {
        String condition = "attribute_exists(#repo) AND attribute_not_exists(#stream)";
        String update = "SET #stream = :all";
        return d.conditional("put an audit row into the byTime index", () -> d.client
                .updateItem(b -> b.tableName(table)
                        .key(Map.of("repo", key.get("repo"), "sk", key.get("sk")))
                        .updateExpression(update).conditionExpression(condition)
                        .expressionAttributeNames(Dynamo.names(condition, update))
                        .expressionAttributeValues(Dynamo.values(":all", Dynamo.s("all")))));
    }

    /** The scan position as text: the last key's repo and sort key. */
    private static String cursor(Map<String, AttributeValue> lastKey) {
        String raw = lastKey.get("repo").s() + "\n" + lastKey.get("sk").s();
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    private static Map<String, AttributeValue> position(String cursor) {
        String raw;
        try {
            raw = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("resume position is malformed", e);
        }
        int newline = raw.indexOf('\n');
        if (newline < 1 || !raw.substring(newline + 1).matches("[0-9]{15}#[0-9a-f-]{36}")) {
            throw new IllegalArgumentException("resume position is malformed");
        }
        return Map.of("repo", Dynamo.s(raw.substring(0, newline)),
                "sk", Dynamo.s(raw.substring(newline + 1)));
    }
}
