package io.tidegate.cli;

import static io.tidegate.audit.AuditHistory.MONDAY_10_KST;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tidegate.Main;
import io.tidegate.audit.AuditHistory;
import io.tidegate.store.AuditQuery;
import io.tidegate.store.AuditRecord;
import io.tidegate.store.SqliteStore;
import io.tidegate.store.Store;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The export streams: {@code tidegate audit export} of 100,000 recorded decisions (about
 * 200 MB of facts JSON) runs in a forked JVM with a 64 MB heap and writes every one of them,
 * oldest first. Holding them in memory would need several times that heap.
 */
class AuditExportMemoryTest {
    static final int DECISIONS = 100_000;

    @TempDir
    Path dir;

    @Test
    void exportOfAHundredThousandDecisionsStreamsInA64MegabyteHeap() throws Exception {
        Path data = dir.resolve("data");
        AuditRecord sample;
        try (Store store = SqliteStore.openIn(data)) {
            new AuditHistory(store, dir).apply(1, AuditHistory.PROD, false, "lead1", "cto1");
            java.util.List<AuditRecord> one = new java.util.ArrayList<>();
            store.auditLog().forEach(AuditQuery.all(), e -> one.add(e.record()));
            sample = one.get(0);
        }
        copy(data.resolve(SqliteStore.AUDIT_FILE_NAME), sample);
        Path out = dir.resolve("decisions.ndjson");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-Xmx64m", "-XX:+UseSerialGC", "-cp",
                System.getProperty("java.class.path"), Main.class.getName(), "audit", "export",
                "--since", "2026-01-01").redirectOutput(out.toFile())
                .redirectError(dir.resolve("err.txt").toFile());
        pb.environment().put("TIDEGATE_DATA_DIR", data.toString());
        Process p = pb.start();
        assertThat(p.waitFor(300, TimeUnit.SECONDS)).as("export finished within 5 minutes")
                .isTrue();

        assertThat(p.exitValue()).as(Files.readString(dir.resolve("err.txt"))).isZero();
        assertThat(Files.size(out)).isGreaterThan(64L * 1024 * 1024);
        long lines = 0;
        long lastPr = 0;
        ObjectMapper json = new ObjectMapper();
        try (BufferedReader r = Files.newBufferedReader(out, StandardCharsets.UTF_8)) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                if (lines % 9_973 == 0) {
                    JsonNode n = json.readTree(line);
                    assertThat(n.get("kind").asText()).isEqualTo("decision");
                    assertThat(n.get("pr").asLong()).isGreaterThan(lastPr);
                    assertThat(n.at("/facts/schemaVersion").asInt()).isEqualTo(2);
                    lastPr = n.get("pr").asLong();
                }
                lines++;
            }
        }
        assertThat(lines).isEqualTo(DECISIONS + 1);
    }

    /** 100,000 more rows like the sample, each with its own PR number, in one transaction. */
    private static void copy(Path file, AuditRecord s) throws Exception {
        // about 2 KB each: the sample's facts with the body padded as a real PR description
        String facts = s.factsJson().replace(AuditHistoryBody.BODY_JSON,
                AuditHistoryBody.BODY_JSON.replace("Revert.", "Revert. " + "x".repeat(600)));
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file)) {
            c.setAutoCommit(false);
            try (PreparedStatement st = c.prepareStatement("INSERT INTO audit (time, repo, pr, "
                    + "head_sha, project, environment, command, actor, decision, reason_codes, "
                    + "policy_hash, facts_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                for (int i = 0; i < DECISIONS; i++) {
                    st.setLong(1, MONDAY_10_KST.toEpochMilli() + 1000L * (i + 2));
                    st.setString(2, s.repo());
                    st.setInt(3, i + 2);
                    st.setString(4, s.headSha());
                    st.setString(5, s.project());
                    st.setString(6, s.environment());
                    st.setString(7, s.command());
                    st.setString(8, s.actor());
                    st.setString(9, s.decision());
                    st.setString(10, "[]");
                    st.setString(11, s.policyHash());
                    st.setString(12, facts);
                    st.addBatch();
                    if (i % 1000 == 999) {
                        st.executeBatch();
                    }
                }
                st.executeBatch();
            }
            c.commit();
        }
    }

    /** How the sample's PR body appears in its facts JSON. */
    private static final class AuditHistoryBody {
        static final String BODY_JSON = "\"body\":\"## Rollback plan\\n\\nRevert.\\n\\n"
                + "- [x] reviewed\\n\"";
    }
}
