package io.tidegate.notify;

import java.util.Objects;

import io.tidegate.store.Effect;
import io.tidegate.store.EffectPerformer;
import io.tidegate.store.PerformResult;

/**
 * Performs {@code notify.slack} or {@code notify.email} effects: reads the {@link Delivery} back
 * from the payload and hands it to its sender once, the effect's idempotency key going along
 * for the logs (and as the SNS FIFO deduplication id).
 *
 * <p>Slack webhooks and standard SNS topics cannot be asked whether a message was already
 * posted, so this cannot look before it sends as {@link EffectPerformer} would like: delivery is
 * at least once. A repeat needs the process to die between the receiver's 2xx and the outbox
 * recording it; every other retry follows an attempt the receiver refused or never answered.
 */
public final class DeliveryPerformer implements EffectPerformer {
    private final Delivery.Kind kind;
    private final Notifier sender;

    public DeliveryPerformer(Delivery.Kind kind, Notifier sender) {
        this.kind = Objects.requireNonNull(kind, "kind == null");
        this.sender = Objects.requireNonNull(sender, "sender == null");
    }

    @Override
    public PerformResult perform(Effect effect, int attempt) {
        Delivery delivery;
        try {
            delivery = NotifyEffects.readDelivery(effect.payload());
        } catch (NotifyEffects.UnreadablePayloadException e) {
            return PerformResult.permanent(e.getMessage());
        }
        // A payload of the other kind would reach the wrong sender, which refuses it by throwing.
        if (delivery.kind() != kind) {
            return PerformResult.permanent("a " + delivery.kind().tag() + " delivery in a "
                    + effect.kind() + " effect");
        }
        return NotifyEffects.toPerformResult(sender.deliver(delivery, effect.idempotencyKey()));
    }
}
