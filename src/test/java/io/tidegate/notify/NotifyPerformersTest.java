package io.tidegate.notify;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

import io.tidegate.policy.NotificationRules.Event;
import io.tidegate.store.Effect;
import io.tidegate.store.OutboxClaim;
import io.tidegate.store.PerformResult;
import io.tidegate.store.SqliteStore;
import io.tidegate.TestClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How the notify performers turn payloads and sender outcomes into outbox results. */
class NotifyPerformersTest {
    private static final Instant AT = Instant.parse("2026-11-20T03:00:00Z");
    private final Delivery slack = new Delivery(Delivery.Kind.SLACK, "#infra-review",
            Event.PLAN_COMPLETED, "staging", "", "{\"text\":\"plan\"}");
    private final RecordingNotifier sender = new RecordingNotifier();

    private static Effect effect(String kind, String payload) {
        return new Effect("notify:k", kind, payload);
    }

    @Test
    void deliveredIsDoneRetryKeepsTheReceiversWaitAndFailedIsPermanent() {
        assertThat(NotifyEffects.toPerformResult(DeliveryOutcome.DELIVERED))
                .isEqualTo(PerformResult.done());
        assertThat(NotifyEffects.toPerformResult(new DeliveryOutcome.RetryLater(
                Optional.of(Duration.ofSeconds(30)), "Slack answered 429")))
                .isEqualTo(PerformResult.retryAfter("Slack answered 429", Duration.ofSeconds(30)));
        assertThat(NotifyEffects.toPerformResult(DeliveryOutcome.retryLater("timeout")))
                .isEqualTo(PerformResult.retry("timeout"));
        assertThat(NotifyEffects.toPerformResult(new DeliveryOutcome.Failed("no_service")))
                .isEqualTo(PerformResult.permanent("no_service"));
    }

    @Test
    void theDeliveryIsReadFromThePayloadAndSentWithTheEffectsKey() {
        var performer = new DeliveryPerformer(Delivery.Kind.SLACK, sender);

        PerformResult result = performer.perform(effect("notify.slack",
                NotifyEffects.write(slack)), 1);

        assertThat(result).isEqualTo(PerformResult.done());
        assertThat(sender.calls()).containsExactly(new RecordingNotifier.Call(slack, "notify:k"));
    }

    @Test
    void anUnreadablePayloadIsPermanentAndNothingIsSent() {
        var performer = new DeliveryPerformer(Delivery.Kind.SLACK, sender);

        assertThat(performer.perform(effect("notify.slack", "{not json"), 1))
                .isInstanceOf(PerformResult.Permanent.class)
                .extracting(r -> ((PerformResult.Permanent) r).error()).asString()
                .startsWith("payload is not JSON: ");
        assertThat(performer.perform(effect("notify.slack", "{\"kind\":\"slack\"}"), 1))
                .isEqualTo(PerformResult.permanent(
                        "unreadable notification payload: 'target' missing or not a string"));
        assertThat(performer.perform(effect("notify.slack", "{\"kind\":\"fax\",\"target\":\"\","
                + "\"event\":\"plan_completed\",\"environment\":\"x\",\"subject\":\"\","
                + "\"body\":\"\"}"), 1))
                .isEqualTo(PerformResult.permanent("unreadable notification payload: "
                        + "No enum constant io.tidegate.notify.Delivery.Kind.FAX"));
        assertThat(sender.calls()).isEmpty();
    }

    @Test
    void aDeliveryOfTheOtherKindIsPermanentNotSentToTheWrongSender() {
        var performer = new DeliveryPerformer(Delivery.Kind.EMAIL, sender);

        assertThat(performer.perform(effect("notify.email", NotifyEffects.write(slack)), 1))
                .isEqualTo(PerformResult.permanent("a slack delivery in a notify.email effect"));
        assertThat(sender.calls()).isEmpty();
    }

    @Test
    void deploymentResultsSurviveThePayloadRoundTrip() throws Exception {
        var results = List.of(
                new FinishedDeployment("production", true, Optional.of(Duration.ofMillis(95_500)),
                        AT),
                new FinishedDeployment("staging", false, Optional.empty(), AT));

        assertThat(NotifyEffects.readResults(NotifyEffects.write(results))).isEqualTo(results);
    }

    @Test
    void cloudWatchPerformerSendsTheEffectsResultsAsOneCall() {
        List<List<FinishedDeployment>> calls = Collections.synchronizedList(new ArrayList<>());
        var performer = new CloudWatchPerformer((results, key) -> {
            calls.add(results);
            return DeliveryOutcome.retryLater("throttled");
        });
        var results = List.of(new FinishedDeployment("production", true, Optional.empty(), AT));

        assertThat(performer.perform(effect("notify.cloudwatch", NotifyEffects.write(results)),
                1)).isEqualTo(PerformResult.retry("throttled"));
        assertThat(calls).containsExactly(results);
        assertThat(performer.perform(effect("notify.cloudwatch", "{}"), 1)).isEqualTo(
                PerformResult.permanent("unreadable deployment metrics payload: not a JSON array"));
    }

    @Test
    void manyResultsAreQueuedInBatchesOneCallCanTake(@TempDir Path dir) throws Exception {
        try (SqliteStore store = SqliteStore.openIn(dir)) {
            var metrics = new OutboxDeploymentMetrics(store.outbox(), new TestClock(AT));
            List<FinishedDeployment> results = new ArrayList<>();
            for (int i = 0; i < 301; i++) {
                results.add(new FinishedDeployment("env-" + i, true, Optional.empty(), AT));
            }

            assertThat(metrics.publish(results, "sweep-1")).isEqualTo(DeliveryOutcome.DELIVERED);

            List<OutboxClaim> queued = store.outbox().claimDue("t", AT, Duration.ofMinutes(1), 10);
            assertThat(queued).extracting(c -> c.effect().idempotencyKey())
                    .containsExactlyInAnyOrder("notify:cloudwatch:sweep-1:1",
                            "notify:cloudwatch:sweep-1:2");
            int total = 0;
            for (OutboxClaim c : queued) {
                assertThat(c.effect().kind()).isEqualTo("notify.cloudwatch");
                total += NotifyEffects.readResults(c.effect().payload()).size();
            }
            assertThat(total).isEqualTo(301);
        }
    }
}
