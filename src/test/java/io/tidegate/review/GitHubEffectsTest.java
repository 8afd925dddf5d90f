package io.tidegate.review;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.tidegate.wiring.Json;
import io.tidegate.github.CommitStatus;
import io.tidegate.github.GitHubException;
import io.tidegate.github.PullRequestWriter;
import io.tidegate.store.EffectPerformer;
import io.tidegate.store.OutboxClaim;
import io.tidegate.store.PerformResult;
import io.tidegate.store.SqliteStore;
import io.tidegate.store.Store;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GitHubEffectsTest {
    static final Instant T0 = Instant.parse("2026-11-23T01:00:00Z");
    static final String SHA = "a".repeat(40);

    @TempDir
    Path dir;
    Store store;
    GitHubEffects effects;
    RecordingWriter writer = new RecordingWriter();

    @BeforeEach
    void open() {
        store = SqliteStore.openIn(dir);
        effects = new GitHubEffects(store.outbox(), Json.mapper(), Clock.fixed(T0,
                ZoneOffset.UTC));
    }

    @AfterEach
    void close() {
        store.close();
    }

    private List<OutboxClaim> due() {
        return store.outbox().claimDue("w", T0.plusSeconds(1), Duration.ofMinutes(1), 10);
    }

    private PerformResult perform(OutboxClaim c) throws Exception {
        EffectPerformer p = effects.performers(writer).get(c.effect().kind());
        return p.perform(c.effect(), 1);
    }

    @Test
    void theSameContentAgainIsNotQueuedWhileTheFirstIsOnItsWay() {
        effects.comment("acme/infra", 7, "body", "event-1", T0);
        effects.comment("acme/infra", 7, "body", "event-2", T0);

        assertThat(due()).hasSize(1);
    }

    @Test
    void anOlderCommentRetriedAfterANewerOneWasWrittenIsNotWrittenOverIt() throws Exception {
        effects.comment("acme/infra", 7, "old", "event-1", T0);
        effects.comment("acme/infra", 7, "new", "event-2", T0.plusSeconds(5));
        List<OutboxClaim> claims = due();

        perform(claims.get(1));
        PerformResult late = perform(claims.get(0));

        assertThat(late).isEqualTo(PerformResult.done());
        assertThat(writer.writes).containsExactly("comment acme/infra#7 new");
    }

    @Test
    void aRetryableGitHubFailureIsRetriedAndAMissingPullRequestIsNot() throws Exception {
        effects.status("acme/infra", SHA, CommitStatus.of("production",
                CommitStatus.State.PENDING, "waiting", Optional.empty()), "event-1", T0);
        OutboxClaim claim = due().get(0);

        writer.failure = GitHubException.Failure.SERVER_ERROR;
        assertThat(perform(claim)).isInstanceOf(PerformResult.Retry.class);
        writer.failure = GitHubException.Failure.NOT_FOUND;
        assertThat(perform(claim)).isInstanceOf(PerformResult.Permanent.class);
    }

    @Test
    void aReplyIsWrittenUnderAMarkerOfTheCommentItAnswers() throws Exception {
        effects.reply("acme/infra", 7, 42L, "Sorry");
        effects.reply("acme/infra", 7, 42L, "Sorry again");

        List<OutboxClaim> claims = due();
        perform(claims.get(0));

        assertThat(claims).hasSize(1);
        assertThat(writer.writes).containsExactly(
                "upsert acme/infra#7 <!-- tidegate:reply:42 --> Sorry");
    }

    static final class RecordingWriter implements PullRequestWriter {
        final List<String> writes = new ArrayList<>();
        GitHubException.Failure failure;

        private void fail() throws GitHubException {
            if (failure != null) {
                throw new GitHubException("write", failure, "test", null);
            }
        }

        @Override
        public CommentWrite upsertStickyComment(String repo, int number, String marker,
                String body) throws GitHubException {
            fail();
            writes.add(marker.equals(StickyComment.MARKER) ? "comment " + repo + "#" + number
                    + " " + body : "upsert " + repo + "#" + number + " " + marker + " " + body);
            return new CommentWrite(Written.CREATED, Optional.empty());
        }

        @Override
        public Written setStatus(String repo, String sha, CommitStatus status)
                throws GitHubException {
            fail();
            writes.add("status " + status);
            return Written.CREATED;
        }

        @Override
        public void replyToComment(String repo, int number, String body) {
            writes.add("reply " + body);
        }
    }
}
