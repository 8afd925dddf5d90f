package io.tidegate.store;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;

/**
 * Audit in DynamoDB: {@code pk = repo}, {@code sk = time#uuid}, each put conditional on the
 * item being new, and no code path that updates or deletes one. Every item also carries
 * {@code stream = "all"}, which puts it in the {@code byTime} index: the organisation-wide read
 * in time order. An entry's id is its {@code sk} (unique, time-ordered); the cursor is the id
 * of the last entry returned. Items written before the index existed carry no {@code stream}
 * and are only read per repository.
 */
final class DynamoDbAudit implements AuditStore, AuditLog {
    private static final String INDEX = "byTime";

    private final Dynamo d;
    private final String table;

    DynamoDbAudit(Dynamo d) {
        this.d = d;
        this.table = d.table(DynamoDbTables.AUDIT);
    }

    @Override
    public void append(AuditRecord r) {
        String sk = Codec.sortableTime(r.time()) + "#" + UUID.randomUUID();
        String condition = "attribute_not_exists(#repo)";
        d.call("append audit record", () -> d.client.putItem(b -> b.tableName(table)
                .item(Map.ofEntries(Map.entry("repo", Dynamo.s(r.repo())),
                        Map.entry("sk", Dynamo.s(sk)), Map.entry("time", Dynamo.n(r.time())),
                        Map.entry("stream", Dynamo.s("all")),
                        Map.entry("pr", Dynamo.n(r.pr())),
                        Map.entry("headSha", Dynamo.s(r.headSha())),
                        Map.entry("project", Dynamo.s(r.project())),
                        Map.entry("environment", Dynamo.s(r.environment())),
                        Map.entry("command", Dynamo.s(r.command())),
                        Map.entry("actor", Dynamo.s(r.actor())),
                        Map.entry("decision", Dynamo.s(r.decision())),
                        Map.entry("reasonCodes", Dynamo.s(Codec.stringsToJson(r.reasonCodes()))),
                        Map.entry("policyHash", Dynamo.s(r.policyHash())),
                        Map.entry("factsJson", Dynamo.s(r.factsJson()))))
                .conditionExpression(condition)
                .expressionAttributeNames(Dynamo.names(condition))));
    }

    @Override
    public List<AuditRecord> forRepository(String repo, int limit) {
        return query(repo, null, limit);
    }

    @Override
    public List<AuditRecord> forPullRequest(String repo, int pr, int limit) {
        return query(repo, pr, limit);
    }

    private List<AuditRecord> query(String repo, Integer pr, int limit) {
        String keyCondition = "#repo = :repo";
        String filter = pr == null ? null : "#pr = :pr";
        Map<String, AttributeValue> values = Dynamo.values(":repo", Dynamo.s(repo));
        if (pr != null) {
            values.put(":pr", Dynamo.n(pr));
        }
        QueryRequest q = QueryRequest.builder().tableName(table).scanIndexForward(false)
                .keyConditionExpression(keyCondition).filterExpression(filter)
                .expressionAttributeNames(Dynamo.names(keyCondition, filter))
                .expressionAttributeValues(values).build();
        return d.queryAll("read audit", q, DynamoDbAudit::recordOf, limit);
    }

    @Override
    public Optional<AuditEntry> find(String given) {
        // the dashboard names a row "repo|sk"; the sort key alone is unique
        String id = given.substring(given.lastIndexOf('|') + 1);
        if (!id.matches("[0-9]{15}#[0-9a-f-]{36}")) {
            return Optional.empty();
        }
        String keyCondition = "#stream = :all AND #sk = :id";
        QueryRequest q = QueryRequest.builder().tableName(table).indexName(INDEX)
                .keyConditionExpression(keyCondition)
                .expressionAttributeNames(Dynamo.names(keyCondition))
                .expressionAttributeValues(Dynamo.values(":all", Dynamo.s("all"), ":id",
                        Dynamo.s(id))).build();
        return d.queryAll("read audit", q, DynamoDbAudit::entryOf, 1).stream().findFirst();
    }

    @Override
    public AuditPage page(AuditQuery q, int limit) {
        if (limit < 1 || limit > MAX_PAGE) {
            throw new IllegalArgumentException("limit must be 1.." + MAX_PAGE + ", got " + limit);
        }
        // after the cursor's entry, else from the first sort key of the since millisecond
        String keyCondition = q.cursor().isPresent() ? "#stream = :all AND #sk > :from"
                : "#stream = :all AND #sk >= :from";
        String from = q.cursor().map(DynamoDbAudit::position)
                .orElse(q.since().map(Codec::sortableTime).orElse("0"));
        Map<String, AttributeValue> values = Dynamo.values(":all", Dynamo.s("all"));
        values.put(":from", Dynamo.s(from));
        String filter = filter(q, values);
        QueryRequest request = QueryRequest.builder().tableName(table).indexName(INDEX)
                .keyConditionExpression(keyCondition).filterExpression(filter)
                .expressionAttributeNames(Dynamo.names(keyCondition, filter))
                .expressionAttributeValues(values).limit(Math.max(limit, 100)).build();
        List<AuditEntry> out = new ArrayList<>();
        // the index is in time order: the first entry at or after until ends the read
        String until = q.until().map(Codec::sortableTime).orElse("~");
        for (AuditEntry e : d.queryAll("read audit", request, DynamoDbAudit::entryOf,
                limit + 1)) {
            if (e.id().compareTo(until) >= 0) {
                return new AuditPage(out, Optional.empty());
            }
            if (out.size() == limit) {
                return new AuditPage(out, Optional.of(cursor(out.get(limit - 1).id())));
            }
            out.add(e);
        }
        return new AuditPage(out, Optional.empty());
    }

    /**
     * Newest first: with a repository its partition (sort key range), else the {@code byTime}
     * index, read backwards from the cursor's entry (excluded) or {@code until}, down to
     * {@code since}; the other filters are filter expressions.
     */
    @Override
    public AuditPage newest(AuditQuery q, int limit) {
        if (limit < 1 || limit > MAX_PAGE) {
            throw new IllegalArgumentException("limit must be 1.." + MAX_PAGE + ", got " + limit);
        }
        // the cursor's own entry is the one sort key BETWEEN includes that is not wanted
        String upper = q.cursor().map(DynamoDbAudit::position)
                .orElse(q.until().map(Codec::sortableTime).orElse("~"));
        String lower = q.since().map(Codec::sortableTime).orElse("0");
        Map<String, AttributeValue> values = Dynamo.values(":lower", Dynamo.s(lower));
        values.put(":upper", Dynamo.s(upper));
        String partition = q.repo().isPresent() ? "#repo = :repo" : "#stream = :all";
        if (q.repo().isEmpty()) {
            values.put(":all", Dynamo.s("all"));
        }
        String keyCondition = partition + " AND #sk BETWEEN :lower AND :upper";
        String filter = filter(q, values);
        QueryRequest.Builder request = QueryRequest.builder().tableName(table)
                .scanIndexForward(false).keyConditionExpression(keyCondition)
                .filterExpression(filter).expressionAttributeNames(Dynamo.names(keyCondition,
                        filter)).expressionAttributeValues(values).limit(Math.max(limit, 100));
        if (q.repo().isEmpty()) {
            request.indexName(INDEX);
        }
        List<AuditEntry> out = new ArrayList<>();
        for (AuditEntry e : d.queryAll("read audit", request.build(), DynamoDbAudit::entryOf,
                limit + 2)) {
            if (e.id().equals(upper)) {
                continue;
            }
            if (out.size() == limit) {
                return new AuditPage(out, Optional.of(cursor(out.get(limit - 1).id())));
            }
            out.add(e);
        }
        return new AuditPage(out, Optional.empty());
    }

    private static String filter(AuditQuery q, Map<String, AttributeValue> values) {
        List<String> parts = new ArrayList<>();
        q.repo().ifPresent(r -> {
            // a key condition when the partition is read, a filter on the index
            if (values.containsKey(":all")) {
                parts.add("#repo = :repo");
            }
            values.put(":repo", Dynamo.s(r));
        });
        q.pr().ifPresent(n -> {
            parts.add("#pr = :pr");
            values.put(":pr", Dynamo.n(n));
        });
        q.environment().ifPresent(e -> {
            parts.add("#environment = :environment");
            values.put(":environment", Dynamo.s(e));
        });
        q.decision().ifPresent(v -> {
            parts.add("#decision = :decision");
            values.put(":decision", Dynamo.s(v));
        });
        return parts.isEmpty() ? null : String.join(" AND ", parts);
    }

    private static String cursor(String id) {
        return java.util.Base64.getUrlEncoder().withoutPadding()
                .encodeToString(id.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** The sort key a cursor names; {@link IllegalArgumentException} when it is not one. */
    private static String position(String cursor) {
        String id;
        try {
            id = new String(java.util.Base64.getUrlDecoder().decode(cursor),
                    java.nio.charset.StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("cursor is malformed", e);
        }
        if (!id.matches("[0-9]{15}#[0-9a-f-]{36}")) {
            throw new IllegalArgumentException("cursor is malformed");
        }
        return id;
    }

    private static AuditEntry entryOf(Map<String, AttributeValue> i) {
        return new AuditEntry(Dynamo.str(i, "sk"), recordOf(i));
    }

    private static AuditRecord recordOf(Map<String, AttributeValue> i) {
        return new AuditRecord(Dynamo.time(i, "time"), Dynamo.str(i, "repo"),
                (int) Dynamo.num(i, "pr"), Dynamo.str(i, "headSha"), Dynamo.str(i, "project"),
                Dynamo.str(i, "environment"), Dynamo.str(i, "command"), Dynamo.str(i, "actor"),
                Dynamo.str(i, "decision"), Codec.stringsFromJson(Dynamo.str(i, "reasonCodes")),
                Dynamo.str(i, "policyHash"), Dynamo.str(i, "factsJson"));
    }
}
