package io.tidegate.notify;

import java.util.Objects;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.tidegate.store.Effect;
import io.tidegate.store.EffectPerformer;
import io.tidegate.store.PerformResult;

/**
 * Counts the effects the dispatcher is about to give up, as
 * {@code tidegate_outbox_failures_total{kind}}: a permanent failure, or a failed attempt (a
 * retry or a throw) that is the last one allowed. Wraps a performer because the dispatcher
 * itself does not count; it predicts the give-up from the same {@code maxAttempts} the
 * dispatcher is built with, so the two must come from one setting.
 */
public final class OutboxFailureCounter implements EffectPerformer {
    public static final String NAME = "tidegate.outbox.failures";

    private final EffectPerformer performer;
    private final int maxAttempts;
    private final Counter failures;

    public OutboxFailureCounter(String kind, EffectPerformer performer, int maxAttempts,
            MeterRegistry registry) {
        this.performer = Objects.requireNonNull(performer, "performer == null");
        this.maxAttempts = maxAttempts;
        this.failures = Counter.builder(NAME)
                .description("Outbox effects given up (permanent failure or attempts exhausted)")
                .tag("kind", Objects.requireNonNull(kind, "kind == null"))
                .register(registry);
    }

    @Override
    public PerformResult perform(Effect effect, int attempt) throws Exception {
        PerformResult result;
        try {
            result = performer.perform(effect, attempt);
        } catch (Exception e) {
            // The dispatcher treats a throw as a retry.
            countIf(attempt >= maxAttempts);
            throw e;
        }
        countIf(result instanceof PerformResult.Permanent
                || (result instanceof PerformResult.Retry && attempt >= maxAttempts));
        return result;
    }

    private void countIf(boolean givenUp) {
        if (givenUp) {
            failures.increment();
        }
    }
}
