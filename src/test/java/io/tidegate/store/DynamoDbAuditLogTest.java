package io.tidegate.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

/** The audit read contract on DynamoDB Local over real HTTP, and the read-only opening. */
class DynamoDbAuditLogTest extends AuditLogContract {
    private String prefix;

    @Override
    Store openStore() {
        prefix = DynamoDbLocal.freshPrefix();
        return DynamoDbStore.open(DynamoDbLocal.get().client(), prefix, true);
    }

    @Test
    void readOnlyArchiveReadsTheTablesWithoutDescribingOrCreatingThem() {
        store.audit().append(decision(T0, "acme/a", 1, "production", "allow"));
        PolicyVersion v = PolicyVersion.of(Map.of("p.yaml", "x"), T0);
        store.policyVersions().keep(v);
        try (AuditArchive archive = DynamoDbStore.openAuditReadOnly(
                DynamoDbLocal.get().client(), prefix)) {
            assertThat(archive.log().forEach(AuditQuery.all(), e -> {})).isEqualTo(1);
            assertThat(archive.policyVersions().find(v.sha256())).contains(v);
        }
    }
}
