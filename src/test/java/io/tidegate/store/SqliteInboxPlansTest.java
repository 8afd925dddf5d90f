package io.tidegate.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The inbox's indexes hold pending events only (schema 9), and SQLite uses a partial index only
 * for a statement whose condition implies the index's: one that stopped saying
 * {@code state = 'PENDING'} would read the whole table, days of finished events, at every intake
 * and every claim, and still answer right. So the plans are checked.
 */
class SqliteInboxPlansTest {
    @TempDir
    Path dir;

    @Test
    void theIntakesSupersedeReadsThePendingEventsOfItsKeyThroughAnIndex() throws Exception {
        assertThat(plan(SqliteInbox.SUPERSEDE)).anyMatch(step -> step.contains("inbox_key"))
                .noneMatch(SqliteInboxPlansTest::scansTheTable);
    }

    @Test
    void aClaimReadsThePendingEventsThroughAnIndex() throws Exception {
        assertThat(plan(SqliteInbox.CLAIM)).anyMatch(step -> step.contains("inbox_pending"))
                .anyMatch(step -> step.contains("inbox_key"))
                .noneMatch(SqliteInboxPlansTest::scansTheTable);
    }

    @Test
    void countingThePendingEventsReadsAnIndex() throws Exception {
        assertThat(plan(SqliteInbox.COUNT_PENDING)).anyMatch(step -> step.contains("inbox_pending"))
                .noneMatch(SqliteInboxPlansTest::scansTheTable);
    }

    /** A step reading every row: "SCAN inbox" or "SCAN i" with no index named. */
    private static boolean scansTheTable(String step) {
        return step.startsWith("SCAN") && !step.contains("INDEX");
    }

    private List<String> plan(String sql) throws Exception {
        SqliteStore.openIn(dir).close(); // the schema as the server makes it
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:"
                + dir.resolve(SqliteStore.FILE_NAME));
                PreparedStatement st = c.prepareStatement("EXPLAIN QUERY PLAN " + sql)) {
            for (int i = 1; i <= st.getParameterMetaData().getParameterCount(); i++) {
                st.setObject(i, null);
            }
            List<String> steps = new ArrayList<>();
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    steps.add(rs.getString("detail"));
                }
            }
            return steps;
        }
    }
}
