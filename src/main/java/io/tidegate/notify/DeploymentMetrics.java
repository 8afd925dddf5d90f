package io.tidegate.notify;

import java.util.List;

/**
 * Publishes deployment results to an external metrics service, one batch per call and one
 * attempt per batch, for the outbox to retry. Same contract as {@link Notifier}: never throws
 * for a failed call. Must be safe for concurrent use.
 */
public interface DeploymentMetrics {
    /** CloudWatch off ({@code TIDEGATE_CLOUDWATCH_NAMESPACE} unset): nothing is sent. */
    DeploymentMetrics NONE = (results, idempotencyKey) -> DeliveryOutcome.DELIVERED;

    DeliveryOutcome publish(List<DeploymentResult> results, String idempotencyKey);
}
