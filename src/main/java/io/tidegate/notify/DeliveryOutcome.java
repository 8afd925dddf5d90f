package io.tidegate.notify;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * What one delivery attempt came to. Senders never throw for an answer they got (a 404 or 500 is
 * an outcome) nor for a transport failure (a timeout is {@link RetryLater}): the outbox decides
 * from this value whether to mark the message sent, schedule it again or give up on it.
 */
public sealed interface DeliveryOutcome {
    /** The receiver accepted the message. */
    record Delivered() implements DeliveryOutcome {}

    /**
     * Worth trying again: the receiver was unreachable, slow, overloaded or rate-limited us.
     * {@code retryAfter} is the receiver's own wish (HTTP {@code Retry-After}), when it said one.
     */
    record RetryLater(Optional<Duration> retryAfter, String why) implements DeliveryOutcome {
        public RetryLater {
            Objects.requireNonNull(retryAfter, "retryAfter == null");
            Objects.requireNonNull(why, "why == null");
        }
    }

    /** Trying again would fail the same way (bad channel, revoked credential, invalid body). */
    record Failed(String why) implements DeliveryOutcome {
        public Failed {
            Objects.requireNonNull(why, "why == null");
        }
    }

    DeliveryOutcome DELIVERED = new Delivered();

    static DeliveryOutcome retryLater(String why) {
        return new RetryLater(Optional.empty(), why);
    }

    /** The metric tag value: delivered, retry or failed. */
    default String tag() {
        if (this instanceof Delivered) {
            return "delivered";
        }
        if (this instanceof RetryLater) {
            return "retry";
        }
        if (this instanceof Failed) {
            return "failed";
        }
        throw new AssertionError(this);
    }
}
