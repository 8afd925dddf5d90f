package io.tidegate.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The audit read contract on SQLite, and its read-only opening for the command line. */
class SqliteAuditLogTest extends AuditLogContract {
    @TempDir
    Path dir;

    @Override
    Store openStore() {
        return SqliteStore.openIn(dir);
    }

    @Test
    void readOnlyArchiveReadsWhatTheServerWroteAndCannotWrite() {
        store.audit().append(decision(T0, "acme/a", 1, "production", "allow"));
        PolicyVersion v = PolicyVersion.of(java.util.Map.of("p.yaml", "x"), T0);
        store.policyVersions().keep(v);
        try (AuditArchive archive = SqliteStore.openAuditReadOnly(dir.resolve(
                SqliteStore.FILE_NAME))) {
            assertThat(archive.log().forEach(AuditQuery.all(), e -> {})).isEqualTo(1);
            assertThat(archive.policyVersions().find(v.sha256())).contains(v);
            assertThatThrownBy(() -> archive.policyVersions().keep(PolicyVersion.of(
                    java.util.Map.of("p.yaml", "y"), T0))).isInstanceOf(StoreException.class)
                    .hasMessageContaining("readonly");
        }
    }

    @Test
    void readOnlyOpeningOfAMissingStoreCreatesNothing() {
        Path missing = dir.resolve("none").resolve(SqliteStore.FILE_NAME);
        assertThatThrownBy(() -> SqliteStore.openAuditReadOnly(missing))
                .isInstanceOf(StoreException.class)
                .hasMessage("no Tidegate store at " + missing.toAbsolutePath()
                        + " (TIDEGATE_DATA_DIR): nothing was recorded there");
        assertThat(dir.resolve("none")).doesNotExist();
        assertThat(List.of(missing.getParent())).allSatisfy(p -> assertThat(p).doesNotExist());
    }
}
