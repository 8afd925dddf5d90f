package io.tidegate.notify;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import io.tidegate.policy.NotificationRules.Event;
import org.junit.jupiter.api.Test;

class NotifierTest {
    private static Delivery of(Delivery.Kind kind) {
        return new Delivery(kind, "", Event.APPLY_FAILED, "production", "", "{}");
    }

    @Test
    void byKindSendsEachDeliveryToItsOwnSender() {
        RecordingNotifier slack = new RecordingNotifier(DeliveryOutcome.DELIVERED);
        RecordingNotifier email = new RecordingNotifier(new DeliveryOutcome.Failed("no topic"));
        Notifier notifier = Notifier.byKind(slack, email);

        assertThat(notifier.deliver(of(Delivery.Kind.SLACK), "s1"))
                .isEqualTo(DeliveryOutcome.DELIVERED);
        assertThat(notifier.deliver(of(Delivery.Kind.EMAIL), "e1"))
                .isEqualTo(new DeliveryOutcome.Failed("no topic"));
        assertThat(slack.calls()).extracting(RecordingNotifier.Call::idempotencyKey)
                .containsExactly("s1");
        assertThat(email.calls()).extracting(RecordingNotifier.Call::idempotencyKey)
                .containsExactly("e1");
    }

    @Test
    void noneDropsEveryDeliveryAsDelivered() {
        assertThat(Notifier.NONE.deliver(of(Delivery.Kind.EMAIL), "k"))
                .isEqualTo(DeliveryOutcome.DELIVERED);
        assertThat(DeploymentMetrics.NONE.publish(List.of(), "k"))
                .isEqualTo(DeliveryOutcome.DELIVERED);
    }

    @Test
    void outcomesTagAsDeliveredRetryOrFailed() {
        assertThat(List.of(DeliveryOutcome.DELIVERED, DeliveryOutcome.retryLater("x"),
                new DeliveryOutcome.Failed("y"))).extracting(DeliveryOutcome::tag)
                .containsExactly("delivered", "retry", "failed");
    }
}
