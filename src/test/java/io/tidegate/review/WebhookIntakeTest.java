package io.tidegate.review;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tidegate.wiring.Json;
import io.tidegate.decision.PullRequest;
import io.tidegate.github.WebhookEvent;
import io.tidegate.store.InboxClaim;
import io.tidegate.store.InboxState;
import io.tidegate.store.SqliteStore;
import io.tidegate.store.Store;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WebhookIntakeTest {
    static final Instant NOW = Instant.parse("2026-11-23T01:00:00Z");
    static final ObjectMapper JSON = Json.mapper();

    @TempDir
    Path dir;
    Store store;
    WebhookIntake intake;

    @BeforeEach
    void open() {
        store = SqliteStore.openIn(dir);
        intake = new WebhookIntake(store, JSON);
    }

    @AfterEach
    void close() {
        store.close();
    }

    static WebhookEvent.PullRequestEvent synchronize(String delivery) {
        return new WebhookEvent.PullRequestEvent(delivery, "synchronize", new PullRequest(
                "acme/infra", 7, "main", "a".repeat(40), "alice", false, Set.of(), ""),
                "feature", false, false, "alice", Optional.empty());
    }

    static WebhookEvent.CommentEvent comment(String delivery) {
        return new WebhookEvent.CommentEvent(delivery, "acme/infra", 7, 99L, "lead-park", false,
                "tidegate override --reason \"hotfix\"", Optional.empty());
    }

    private InboxState state(String id) {
        return store.inbox().status(id).orElseThrow().state();
    }

    @Test
    void aNewerPullRequestEventSupersedesTheQueuedOneButNeverAQueuedCommand() {
        intake.accept(synchronize("d-1"), NOW);
        intake.accept(comment("d-2"), NOW);
        intake.accept(synchronize("d-3"), NOW);

        assertThat(state("d-1")).isEqualTo(InboxState.SUPERSEDED);
        assertThat(state("d-2")).isEqualTo(InboxState.PENDING);
        assertThat(state("d-3")).isEqualTo(InboxState.PENDING);
    }

    @Test
    void theSameDeliveryTwiceIsADuplicate() {
        assertThat(intake.accept(synchronize("d-1"), NOW)).isEqualTo(WebhookIntake.Outcome.QUEUED);
        assertThat(intake.accept(synchronize("d-1"), NOW))
                .isEqualTo(WebhookIntake.Outcome.DUPLICATE);
    }

    @Test
    void whatIsStoredReadsBackAsTheMessageItWas() {
        intake.accept(comment("d-2"), NOW);
        InboxClaim claim = store.inbox().claim("w", NOW, Duration.ofMinutes(1)).orElseThrow();

        assertThat(claim.event().orderingKey()).isEqualTo("acme/infra#7:comments");
        assertThat(InboxMessage.decode(claim.event().payload(), JSON)).isEqualTo(
                new InboxMessage.Comment("acme/infra", 7, 99L, "lead-park", false,
                        "tidegate override --reason \"hotfix\""));
    }

    @Test
    void aClosedPullRequestIsQueuedAsClosedAndPingsAreNotQueued() {
        WebhookEvent.PullRequestEvent s = synchronize("d-1");
        WebhookEvent.PullRequestEvent closed = new WebhookEvent.PullRequestEvent("d-4", "closed",
                s.pullRequest(), "feature", false, true, "alice", Optional.empty());

        intake.accept(closed, NOW);
        InboxClaim claim = store.inbox().claim("w", NOW, Duration.ofMinutes(1)).orElseThrow();

        assertThat(InboxMessage.decode(claim.event().payload(), JSON))
                .isEqualTo(new InboxMessage.Closed("acme/infra", 7, true));
        assertThat(intake.accept(new WebhookEvent.Ping("d-5", "zen", 1L, Optional.empty()), NOW))
                .isEqualTo(WebhookIntake.Outcome.IGNORED);
    }

    @Test
    void webAddressesComeFromTheApiAddress() {
        assertThat(PullRequestUrls.forApi(java.net.URI.create("https://api.github.com"))
                .of("acme/infra", 7)).isEqualTo("https://github.com/acme/infra/pull/7");
        assertThat(PullRequestUrls.forApi(java.net.URI.create("https://ghe.acme.io/api/v3/"))
                .of("acme/infra", 7)).isEqualTo("https://ghe.acme.io/acme/infra/pull/7");
    }
}
