package io.tidegate;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.tidegate.audit.ReplayResult;
import io.tidegate.audit.Replayer;
import io.tidegate.store.AuditArchive;
import io.tidegate.store.AuditQuery;
import io.tidegate.store.SqliteStore;

/**
 * The end-to-end suites' closing check: every decision the running server recorded replays
 * the same ({@code tidegate replay --since} over the whole store, read-only, after the server
 * stopped), with the policy version each row names.
 */
final class ReplayCheck {
    private ReplayCheck() {}

    /** Replays every decision in the store of {@code dataDir}; returns how many there were. */
    static long everyDecisionReplaysTheSame(Path dataDir) {
        List<String> notSame = new ArrayList<>();
        long[] n = {0};
        try (AuditArchive archive = SqliteStore.openAuditReadOnly(dataDir.resolve(
                SqliteStore.FILE_NAME))) {
            Replayer replayer = new Replayer(archive.policyVersions(), Replayer.Decider.ENGINE);
            archive.log().forEach(AuditQuery.all(), e -> {
                if (!e.record().isDecision()) {
                    return;
                }
                n[0]++;
                ReplayResult r = replayer.replay(e);
                if (r.status() != ReplayResult.Status.SAME) {
                    notSame.add(e.id() + " " + r.status().word() + " " + e.record().command()
                            + " " + e.record().repo() + "#" + e.record().pr() + ": "
                            + r.differences() + " " + r.note().orElse(""));
                }
            });
        }
        assertThat(notSame).as("decisions that do not replay the same").isEmpty();
        return n[0];
    }
}
