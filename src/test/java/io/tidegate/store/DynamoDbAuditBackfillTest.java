package io.tidegate.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Audit rows written before the {@code byTime} index (no {@code stream} attribute, as the audit
 * wrote them then) join the organisation-wide read after the backfill, on DynamoDB Local over
 * real HTTP; the backfill is idempotent and resumes from the position it reported.
 */
class DynamoDbAuditBackfillTest {
    static final Instant T0 = Instant.parse("2026-10-01T09:00:00Z");

    DynamoDbClient client;
    String prefix;
    Store store;

    @BeforeEach
    void open() {
        client = DynamoDbLocal.get().client();
        prefix = DynamoDbLocal.freshPrefix();
        store = DynamoDbStore.open(client, prefix, true);
    }

    @AfterEach
    void close() {
        store.close();
    }

    /** An audit item as written before the index: every attribute but {@code stream}. */
    private String appendWithoutIndexKey(Instant t, String repo, int pr) {
        String sk = Codec.sortableTime(t) + "#" + UUID.randomUUID();
        Map<String, AttributeValue> item = new HashMap<>(Map.of(
                "repo", Dynamo.s(repo), "sk", Dynamo.s(sk), "time", Dynamo.n(t),
                "pr", Dynamo.n(pr), "headSha", Dynamo.s("abc"), "project", Dynamo.s("network"),
                "environment", Dynamo.s("production"), "command", Dynamo.s("apply"),
                "actor", Dynamo.s("alice"), "decision", Dynamo.s("allow")));
        item.putAll(Map.of("reasonCodes", Dynamo.s("[]"), "policyHash", Dynamo.s("sha256:1"),
                "factsJson", Dynamo.s("{\"n\":" + pr + "}")));
        client.putItem(b -> b.tableName(prefix + DynamoDbTables.AUDIT).item(item));
        return sk;
    }

    private List<Integer> organisationWide() {
        List<Integer> prs = new ArrayList<>();
        store.auditLog().forEach(AuditQuery.all(), e -> prs.add(e.record().pr()));
        return prs;
    }

    @Test
    void rowsWithoutTheIndexKeyJoinTheOrganisationWideReadAndASecondRunSetsNothing() {
        String old = appendWithoutIndexKey(T0, "acme/a", 1);
        appendWithoutIndexKey(T0.plusSeconds(1), "acme/b", 2);
        store.audit().append(AuditLogContract.decision(T0.plusSeconds(2), "acme/a", 3,
                "production", "deny"));
        assertThat(organisationWide()).containsExactly(3);
        assertThat(store.auditLog().find(old)).isEmpty();

        DynamoDbAuditBackfill.Progress first = new DynamoDbAuditBackfill(client, prefix)
                .run(Optional.empty(), p -> {});

        assertThat(first).isEqualTo(new DynamoDbAuditBackfill.Progress(3, 2, Optional.empty()));
        assertThat(organisationWide()).containsExactly(1, 2, 3);
        assertThat(store.auditLog().find(old).orElseThrow().record().pr()).isEqualTo(1);
        assertThat(store.auditLog().newest(AuditQuery.all(), 10).entries())
                .extracting(e -> e.record().pr()).containsExactly(3, 2, 1);
        assertThat(store.audit().forRepository("acme/a", 10)).extracting(AuditRecord::pr)
                .containsExactly(3, 1); // the recorded content is untouched
        assertThat(new DynamoDbAuditBackfill(client, prefix).run(Optional.empty(), p -> {}))
                .isEqualTo(new DynamoDbAuditBackfill.Progress(3, 0, Optional.empty()));
    }

    @Test
    void anInterruptedRunResumesFromTheLastPositionItReported() {
        for (int i = 1; i <= 7; i++) {
            appendWithoutIndexKey(T0.plusSeconds(i), "acme/r" + i, i);
        }
        List<DynamoDbAuditBackfill.Progress> seen = new ArrayList<>();
        RuntimeException stop = new RuntimeException("interrupted after a page");
        assertThatThrownBy(() -> new DynamoDbAuditBackfill(client, prefix, 3)
                .run(Optional.empty(), p -> {
                    seen.add(p);
                    throw stop;
                })).isSameAs(stop);
        assertThat(seen).singleElement().satisfies(p -> {
            assertThat(p.updated()).isEqualTo(3);
            assertThat(p.resumeFrom()).isPresent();
        });
        assertThat(organisationWide()).hasSize(3);

        DynamoDbAuditBackfill.Progress rest = new DynamoDbAuditBackfill(client, prefix, 3)
                .run(seen.get(0).resumeFrom(), p -> {});

        assertThat(rest.updated()).isEqualTo(4);
        assertThat(rest.resumeFrom()).isEmpty();
        assertThat(organisationWide()).containsExactly(1, 2, 3, 4, 5, 6, 7);
    }

    @Test
    void aResumePositionThisClassDidNotGiveIsRefused() {
        assertThatThrownBy(() -> new DynamoDbAuditBackfill(client, prefix)
                .run(Optional.of("acme/a"), p -> {}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("resume position is malformed");
    }
}
