package io.tidegate.store;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.tidegate.decision.CostChange;
import io.tidegate.decision.ProjectRef;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;

/**
 * Cost reports in DynamoDB: {@code pk = repo#pr#sha}, {@code sk} the project; a put replaces
 * the project's earlier report at that commit. Every report is also kept under
 * {@code pk = history#repo#pr#sha}, {@code sk} the project and the time received, for
 * {@link #historyForCommit}. Unknown figures are absent attributes.
 */
final class DynamoDbCostReports implements CostReportStore {
    private static final Comparator<CostReport> ORDER = Comparator
            .comparing((CostReport r) -> r.project().dir())
            .thenComparing(r -> r.project().workspace())
            .thenComparing(r -> r.project().name());

    private final Dynamo d;
    private final String table;

    DynamoDbCostReports(Dynamo d) {
        this.d = d;
        this.table = d.table(DynamoDbTables.COST_REPORTS);
    }

    private static String pk(String repo, int pr, String sha) {
        return repo + "#" + pr + "#" + sha;
    }

    private static String historyPk(String repo, int pr, String sha) {
        return "history#" + pk(repo, pr, sha);
    }

    private static String sk(ProjectRef p) {
        return p.dir() + "\u0001" + p.workspace() + "\u0001" + p.name();
    }

    @Override
    public void put(CostReport r) {
        ProjectRef p = r.project();
        Map<String, AttributeValue> item = new HashMap<>(Map.of(
                "pk", Dynamo.s(pk(r.repo(), r.pr(), r.headSha())),
                "sk", Dynamo.s(sk(p)),
                "repo", Dynamo.s(r.repo()), "pr", Dynamo.n(r.pr()),
                "headSha", Dynamo.s(r.headSha()), "projectName", Dynamo.s(p.name()),
                "projectDir", Dynamo.s(p.dir()), "workspace", Dynamo.s(p.workspace()),
                "plan", Dynamo.s(Codec.planToJson(r.plan())),
                "recordedAt", Dynamo.n(r.recordedAt())));
        r.cost().monthlyIncrease().ifPresent(v -> item.put("monthlyIncrease",
                Dynamo.s(v.toPlainString())));
        r.cost().monthlyTotal().ifPresent(v -> item.put("monthlyTotal",
                Dynamo.s(v.toPlainString())));
        r.cost().currency().ifPresent(c -> item.put("currency", Dynamo.s(c)));
        Map<String, AttributeValue> history = new HashMap<>(item);
        history.put("pk", Dynamo.s(historyPk(r.repo(), r.pr(), r.headSha())));
        history.put("sk", Dynamo.s(sk(p) + "\u0001" + r.recordedAt().toEpochMilli()));
        // History first: a report that is current is always in the history too.
        d.call("save cost report", () -> d.client.putItem(b -> b.tableName(table)
                .item(history)));
        d.call("save cost report", () -> d.client.putItem(b -> b.tableName(table).item(item)));
    }

    @Override
    public List<CostReport> forCommit(String repo, int pr, String headSha) {
        return query("read cost reports", pk(repo, pr, headSha)).stream().sorted(ORDER).toList();
    }

    @Override
    public List<CostReport> historyForCommit(String repo, int pr, String headSha) {
        List<CostReport> out = new ArrayList<>(query("read cost report history",
                historyPk(repo, pr, headSha)));
        // Reports saved before the history existed are only current ones: add them.
        for (CostReport current : forCommit(repo, pr, headSha)) {
            if (!out.contains(current)) {
                out.add(current);
            }
        }
        return out.stream().sorted(Comparator.comparing(CostReport::recordedAt)
                .thenComparing(ORDER)).toList();
    }

    private List<CostReport> query(String what, String pk) {
        String keyCondition = "#pk = :pk";
        QueryRequest q = QueryRequest.builder().tableName(table).consistentRead(true)
                .keyConditionExpression(keyCondition)
                .expressionAttributeNames(Dynamo.names(keyCondition))
                .expressionAttributeValues(Dynamo.values(":pk", Dynamo.s(pk)))
                .build();
        return d.queryAll(what, q, DynamoDbCostReports::reportOf, Integer.MAX_VALUE);
    }

    @Override
    public List<Reported> reportedSince(java.time.Instant since) {
        // Rare (a freeze, an unlock): a filtered scan of the current reports, history skipped.
        String filter = "#recordedAt >= :since AND NOT begins_with(#pk, :history)";
        return d.call("scan reported projects", () -> d.client.scanPaginator(b -> b
                        .tableName(table).filterExpression(filter)
                        .expressionAttributeNames(Dynamo.names(filter))
                        .expressionAttributeValues(Dynamo.values(":since", Dynamo.n(since),
                                ":history", Dynamo.s("history#"))))
                .items().stream().map(i -> new Reported(Dynamo.str(i, "repo"),
                        (int) Dynamo.num(i, "pr"), new ProjectRef(Dynamo.str(i, "projectName"),
                                Dynamo.str(i, "projectDir"), Dynamo.str(i, "workspace"))))
                .distinct().toList());
    }

    private static CostReport reportOf(Map<String, AttributeValue> i) {
        ProjectRef project = new ProjectRef(Dynamo.str(i, "projectName"),
                Dynamo.str(i, "projectDir"), Dynamo.str(i, "workspace"));
        CostChange cost = new CostChange(Codec.decimal(Dynamo.str(i, "monthlyIncrease")),
                Codec.decimal(Dynamo.str(i, "monthlyTotal")),
                java.util.Optional.ofNullable(i.get("currency")).map(AttributeValue::s));
        return new CostReport(Dynamo.str(i, "repo"), (int) Dynamo.num(i, "pr"),
                Dynamo.str(i, "headSha"), project, cost,
                Codec.planFromJson(Dynamo.str(i, "plan")), Dynamo.time(i, "recordedAt"));
    }
}
