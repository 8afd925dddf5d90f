package io.tidegate.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tidegate.secret.Secret;
import io.tidegate.policy.NotificationRules;
import io.tidegate.store.OutboxClaim;
import io.tidegate.store.OutboxState;
import io.tidegate.store.SqliteStore;
import io.tidegate.TestClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The publisher only queues: one effect per delivery, keyed by the event's facts. */
class OutboxNotificationPublisherTest {
    private static final String WEBHOOK = "https://hooks.slack.test/services/T0/B0/s3cr3t-hook";
    private static final Instant NOW = Instant.parse("2026-11-20T03:00:00Z");

    @TempDir
    Path dir;

    private final ObjectMapper json = new ObjectMapper();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final TestClock clock = new TestClock(NOW);
    private final AtomicReference<NotificationRules> rules =
            new AtomicReference<>(SampleEvents.seedRules());
    private SqliteStore store;
    private OutboxNotificationPublisher publisher;

    @BeforeEach
    void open() {
        store = SqliteStore.openIn(dir);
        publisher = new OutboxNotificationPublisher(store.outbox(), rules::get,
                new SlackSettings(new Secret(WEBHOOK), Map.of(), Secret.ABSENT,
                        SlackSettings.SLACK_API),
                true, clock, registry);
    }

    @AfterEach
    void close() {
        store.close();
    }

    private List<OutboxClaim> queued() {
        return store.outbox().claimDue("test", NOW.plusSeconds(1), Duration.ofMinutes(1), 100);
    }

    private double counted(String kind, String outcome) {
        var counter = registry.find("tidegate.notifications").tag("kind", kind)
                .tag("outcome", outcome).counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void eachDeliveryIsQueuedAsOneEffectWhosePayloadIsTheDeliveryWithoutCredentials()
            throws Exception {
        NotificationEvent.ApplyFailed event = SampleEvents.applyFailed();

        publisher.publish(event);

        String id = OutboxNotificationPublisher.identity(event, "");
        String slackKey = "notify:apply_failed:" + id + ":#incident-response";
        String emailKey = "notify:apply_failed:" + id + ":email";
        var slack = store.outbox().get(slackKey).orElseThrow();
        var email = store.outbox().get(emailKey).orElseThrow();
        assertThat(slack.state()).isEqualTo(OutboxState.PENDING);
        assertThat(slack.effect().kind()).isEqualTo("notify.slack");
        assertThat(email.effect().kind()).isEqualTo("notify.email");
        String slackBody = SlackMessageFormat.render(event, List.of("@devops-oncall")).toString();
        assertThat(json.readTree(slack.effect().payload())).isEqualTo(json.createObjectNode()
                .put("kind", "slack").put("target", "#incident-response")
                .put("event", "apply_failed").put("environment", "production")
                .put("subject", "").put("body", slackBody));
        EmailFormat.Email mail = EmailFormat.render(event);
        assertThat(json.readTree(email.effect().payload())).isEqualTo(json.createObjectNode()
                .put("kind", "email").put("target", "").put("event", "apply_failed")
                .put("environment", "production").put("subject", mail.subject())
                .put("body", mail.body()));
        assertThat(slack.effect().payload() + email.effect().payload())
                .doesNotContain("hooks.slack.test").doesNotContain("s3cr3t");
        assertThat(queued()).hasSize(2);
        assertThat(counted("slack", "queued")).isEqualTo(1);
        assertThat(counted("email", "queued")).isEqualTo(1);
    }

    @Test
    void payloadReadsBackAsTheSameDelivery() throws Exception {
        publisher.publish(SampleEvents.applyRequested());

        OutboxClaim claim = queued().get(0);
        Delivery read = NotifyEffects.readDelivery(claim.effect().payload());

        assertThat(read).isEqualTo(new Delivery(Delivery.Kind.SLACK, "#infra-approvals",
                NotificationRules.Event.APPLY_REQUESTED, "production", "",
                SlackMessageFormat.render(SampleEvents.applyRequested(),
                        List.of("@devops-lead", "@cto")).toString()));
    }

    @Test
    void publishingAnEqualEventAgainQueuesNothingNew() {
        publisher.publish(SampleEvents.applyFailed());
        publisher.publish(SampleEvents.applyFailed());

        assertThat(queued()).hasSize(2);
        assertThat(counted("slack", "queued")).isEqualTo(1);
    }

    @Test
    void anotherOccurrenceOfEqualFactsIsQueuedAgain() {
        publisher.publish(SampleEvents.applyFailed(), "atlantis-run-1");
        publisher.publish(SampleEvents.applyFailed(), "atlantis-run-2");
        publisher.publish(SampleEvents.applyFailed(), "atlantis-run-2");

        assertThat(queued()).hasSize(4);
    }

    @Test
    void identityDependsOnlyOnTheFactsSoEveryProcessComputesTheSameKey() {
        // Computed once in another JVM: Map.of's per-process order must not leak into the key.
        assertThat(OutboxNotificationPublisher.identity(SampleEvents.applyCompleted(), ""))
                .isEqualTo(OutboxNotificationPublisher.identity(SampleEvents.applyCompleted(),
                        ""))
                .isEqualTo(KNOWN_APPLY_COMPLETED_IDENTITY)
                .hasSize(24);
    }

    static final String KNOWN_APPLY_COMPLETED_IDENTITY = "68d1f6d5a65881d4794d6bd2";

    @Test
    void routingFollowsThePolicyAsItIsWhenTheEventIsPublished() {
        rules.set(NotificationRules.NONE);
        publisher.publish(SampleEvents.planCompleted());
        assertThat(queued()).isEmpty();

        rules.set(SampleEvents.seedRules());
        publisher.publish(SampleEvents.planCompleted());

        assertThat(queued()).extracting(c -> c.effect().idempotencyKey())
                .containsExactly("notify:plan_completed:"
                        + OutboxNotificationPublisher.identity(SampleEvents.planCompleted(), "")
                        + ":#infra-review");
    }

    @Test
    void aStoreThatFailsLosesTheNotificationCountedButNeverThrows() {
        store.close();

        assertThatCode(() -> publisher.publish(SampleEvents.applyFailed()))
                .doesNotThrowAnyException();

        assertThat(counted("slack", "unqueued")).isEqualTo(1);
        assertThat(counted("email", "unqueued")).isEqualTo(1);
    }

    @Test
    void aPolicySourceThatFailsLosesTheNotificationButNeverThrows() {
        OutboxNotificationPublisher broken = new OutboxNotificationPublisher(store.outbox(),
                () -> {
                    throw new IllegalStateException("policy holder broke");
                },
                SlackSettings.NONE, true, clock, registry);

        assertThatCode(() -> broken.publish(SampleEvents.applyFailed()))
                .doesNotThrowAnyException();

        assertThat(counted("all", "unqueued")).isEqualTo(1);
        assertThat(queued()).isEmpty();
    }
}
