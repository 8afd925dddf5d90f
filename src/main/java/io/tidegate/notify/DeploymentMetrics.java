package io.tidegate.notify;

import java.util.List;

/**
 * Publishes deployment results to an external metrics service. Two sides implement it: the
 * services call {@link OutboxDeploymentMetrics}, which only queues the results (delivered means
 * queued; {@code idempotencyKey}, e.g. the deployment id, makes a repeat queue nothing), and the
 * outbox's {@link CloudWatchPerformer} calls {@link CloudWatchMetrics}, one attempt per batch.
 * Same contract as {@link Notifier}: never throws for a failed call. Safe for concurrent use.
 */
public interface DeploymentMetrics {
    /** CloudWatch off ({@code TIDEGATE_CLOUDWATCH_NAMESPACE} unset): nothing is sent. */
    DeploymentMetrics NONE = (results, idempotencyKey) -> DeliveryOutcome.DELIVERED;

    DeliveryOutcome publish(List<FinishedDeployment> results, String idempotencyKey);
}
