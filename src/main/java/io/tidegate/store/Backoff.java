package io.tidegate.store;

import java.time.Duration;

/** Retry delays: doubling from {@code first}, capped at {@code max}, optionally jittered. */
final class Backoff {
    private Backoff() {}

    /** {@code first * 2^(attempt-1)}, at most {@code max}. */
    static Duration exponential(Duration first, Duration max, int attempt) {
        int shift = Math.min(Math.max(attempt - 1, 0), 30);
        long millis = first.toMillis() << shift;
        return millis <= 0 || millis > max.toMillis() ? max : Duration.ofMillis(millis);
    }

    /**
     * "Equal jitter": half the delay fixed, half random ({@code unit} in [0, 1)), so racing
     * retries spread out but never come back sooner than half the backoff.
     */
    static Duration jittered(Duration delay, double unit) {
        long half = delay.toMillis() / 2;
        return Duration.ofMillis(half + (long) (half * unit));
    }
}
