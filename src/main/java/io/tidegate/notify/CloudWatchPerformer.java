package io.tidegate.notify;

import java.util.List;
import java.util.Objects;

import io.tidegate.store.Effect;
import io.tidegate.store.EffectPerformer;
import io.tidegate.store.PerformResult;

/**
 * Performs {@code notify.cloudwatch} effects: one {@code PutMetricData} per effect, with the
 * results that effect holds ({@link OutboxDeploymentMetrics} puts at most
 * {@link CloudWatchMetrics#MAX_RESULTS_PER_CALL} in one). Effects are not merged across the
 * outbox: a dispatcher hands over one effect at a time, and one call per finished apply is far
 * below CloudWatch's request limits.
 *
 * <p>A repeated {@code PutMetricData} (the process died after CloudWatch accepted it) would count
 * the apply twice; CloudWatch cannot deduplicate, so this is at least once like the messages.
 */
public final class CloudWatchPerformer implements EffectPerformer {
    private final DeploymentMetrics sender;

    public CloudWatchPerformer(DeploymentMetrics sender) {
        this.sender = Objects.requireNonNull(sender, "sender == null");
    }

    @Override
    public PerformResult perform(Effect effect, int attempt) {
        List<FinishedDeployment> results;
        try {
            results = NotifyEffects.readResults(effect.payload());
        } catch (NotifyEffects.UnreadablePayloadException e) {
            return PerformResult.permanent(e.getMessage());
        }
        if (results.size() > CloudWatchMetrics.MAX_RESULTS_PER_CALL) {
            return PerformResult.permanent(results.size() + " results in one effect, at most "
                    + CloudWatchMetrics.MAX_RESULTS_PER_CALL + " fit one PutMetricData");
        }
        return NotifyEffects.toPerformResult(sender.publish(results, effect.idempotencyKey()));
    }
}
