package io.tidegate.notify;

import java.time.Clock;
import java.util.List;
import java.util.Objects;

import io.tidegate.store.Effect;
import io.tidegate.store.OutboxStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deployment metrics through the outbox: {@link #publish} only enqueues {@code notify.cloudwatch}
 * effects (one per {@link CloudWatchMetrics#MAX_RESULTS_PER_CALL} results) and answers
 * delivered, meaning queued; {@link CloudWatchPerformer} sends them. The caller's idempotency
 * key (a deployment id) makes a repeated publish queue nothing new.
 *
 * <p>A store failure is answered {@link DeliveryOutcome.Failed} and logged, never thrown: a
 * metric must not fail the apply result that produced it.
 */
public final class OutboxDeploymentMetrics implements DeploymentMetrics {
    private static final Logger log = LoggerFactory.getLogger(OutboxDeploymentMetrics.class);

    private final OutboxStore outbox;
    private final Clock clock;

    public OutboxDeploymentMetrics(OutboxStore outbox, Clock clock) {
        this.outbox = Objects.requireNonNull(outbox, "outbox == null");
        this.clock = Objects.requireNonNull(clock, "clock == null");
    }

    @Override
    public DeliveryOutcome publish(List<FinishedDeployment> results, String idempotencyKey) {
        Objects.requireNonNull(results, "results == null");
        Objects.requireNonNull(idempotencyKey, "idempotencyKey == null");
        List<List<FinishedDeployment>> batches = CloudWatchMetrics.batches(results);
        try {
            for (int i = 0; i < batches.size(); i++) {
                String key = "notify:cloudwatch:" + idempotencyKey
                        + (batches.size() == 1 ? "" : ":" + (i + 1));
                outbox.enqueue(new Effect(key, NotifyEffects.CLOUDWATCH,
                        NotifyEffects.write(batches.get(i))), clock.instant());
            }
            return DeliveryOutcome.DELIVERED;
        } catch (RuntimeException e) {
            log.error("deployment metrics {} not queued, they are lost: {}", idempotencyKey,
                    e.toString());
            return new DeliveryOutcome.Failed("not queued: " + e.getMessage());
        }
    }
}
