package io.tidegate.store;

/**
 * Performs one kind of outbox effect (a PR comment, a commit status, a Slack message). Delivery
 * is at least once: the dispatcher may call {@code perform} again for an effect already done
 * (it died before recording success). So an implementation must first ask the remote whether
 * the effect with {@link Effect#idempotencyKey()} exists (a hidden marker in the comment, the
 * status context and description, a message id) and answer {@link PerformResult#done()}
 * without repeating it. Must be safe for concurrent use.
 */
@FunctionalInterface
public interface EffectPerformer {
    /**
     * Performs the effect or says why not. Throwing counts as a retryable failure whose
     * message is kept as the effect's last error.
     */
    PerformResult perform(Effect effect, int attempt) throws Exception;
}
