package io.tidegate.notify;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A fake {@link Notifier} for tests: remembers every delivery and key it was given and answers
 * with a fixed outcome (delivered unless told otherwise). Safe for concurrent use.
 */
public final class RecordingNotifier implements Notifier {
    /** One call as received. */
    public record Call(Delivery delivery, String idempotencyKey) {}

    private final List<Call> calls = new ArrayList<>();
    private final DeliveryOutcome answer;

    public RecordingNotifier() {
        this(DeliveryOutcome.DELIVERED);
    }

    public RecordingNotifier(DeliveryOutcome answer) {
        this.answer = Objects.requireNonNull(answer, "answer == null");
    }

    @Override
    public synchronized DeliveryOutcome deliver(Delivery delivery, String idempotencyKey) {
        calls.add(new Call(delivery, idempotencyKey));
        return answer;
    }

    public synchronized List<Call> calls() {
        return List.copyOf(calls);
    }
}
