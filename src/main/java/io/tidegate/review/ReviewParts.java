package io.tidegate.review;

import java.time.Clock;
import java.util.Objects;

import io.micrometer.core.instrument.MeterRegistry;
import io.tidegate.notify.NotificationPublisher;

/**
 * What the Atlantis-facing services ({@link Gate}, {@link PlanIntake}, {@link ApplyOutcomes})
 * share: where facts and the policy come from, where decisions and deployments are recorded,
 * who is told, and the clock (the only one they read).
 */
public record ReviewParts(
        SnapshotSource snapshots,
        PolicySource policies,
        DecisionRecorder recorder,
        Deployments deployments,
        ReviewRequests reviews,
        NotificationPublisher publisher,
        MeterRegistry registry,
        Clock clock) {
    public ReviewParts {
        Objects.requireNonNull(snapshots, "snapshots == null");
        Objects.requireNonNull(policies, "policies == null");
        Objects.requireNonNull(recorder, "recorder == null");
        Objects.requireNonNull(deployments, "deployments == null");
        Objects.requireNonNull(reviews, "reviews == null");
        Objects.requireNonNull(publisher, "publisher == null");
        Objects.requireNonNull(registry, "registry == null");
        Objects.requireNonNull(clock, "clock == null");
    }
}
