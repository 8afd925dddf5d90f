package io.tidegate.github;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;

import io.tidegate.github.PullRequestWriter.CommentWrite;
import io.tidegate.github.PullRequestWriter.Written;
import org.junit.jupiter.api.Test;

class LoggingPullRequestWriterTest {
    private static final String SHA = "6dcb09b5b57875f334f61aebed695e2e4193db5e";
    private final LoggingPullRequestWriter writer = new LoggingPullRequestWriter();

    @Test
    void reportsWhatTheRealWriterWouldHaveDone() {
        String marker = "<!-- tidegate:summary -->";
        assertThat(writer.upsertStickyComment("acme/infra", 7, marker, "## Blocked"))
                .isEqualTo(new CommentWrite(Written.CREATED, Optional.empty()));
        assertThat(writer.upsertStickyComment("acme/infra", 7, marker, "## Blocked").written())
                .isEqualTo(Written.UNCHANGED);
        assertThat(writer.upsertStickyComment("acme/infra", 7, marker, "## Ready").written())
                .isEqualTo(Written.UPDATED);
        assertThat(writer.upsertStickyComment("acme/infra", 8, marker, "## Ready").written())
                .isEqualTo(Written.CREATED);
    }

    @Test
    void statusesAreComparedPerCommitAndContext() {
        CommitStatus pending = CommitStatus.of("production", CommitStatus.State.PENDING,
                "needs 2 approvals", Optional.empty());
        assertThat(writer.setStatus("acme/infra", SHA, pending)).isEqualTo(Written.CREATED);
        assertThat(writer.setStatus("acme/infra", SHA, pending)).isEqualTo(Written.UNCHANGED);
        assertThat(writer.setStatus("acme/infra", SHA, CommitStatus.of("production",
                CommitStatus.State.SUCCESS, "ready", Optional.empty())))
                .isEqualTo(Written.UPDATED);
        assertThat(writer.setStatus("acme/infra", SHA, CommitStatus.of("staging",
                CommitStatus.State.SUCCESS, "ready", Optional.empty())))
                .isEqualTo(Written.CREATED);
    }
}
