package io.tidegate.notify;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import io.tidegate.policy.NotificationRules.Event;
import org.junit.jupiter.api.Test;

class NotifierTest {
    /** Remembers what it was given and answers as told. */
    private static final class RecordingNotifier implements Notifier {
        final List<String> keys = new ArrayList<>();
        final DeliveryOutcome answer;

        RecordingNotifier(DeliveryOutcome answer) {
            this.answer = answer;
        }

        @Override
        public DeliveryOutcome deliver(Delivery delivery, String idempotencyKey) {
            keys.add(idempotencyKey);
            return answer;
        }
    }

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
        assertThat(slack.keys).containsExactly("s1");
        assertThat(email.keys).containsExactly("e1");
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
