package io.tidegate.github;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * A time budget for every GitHub call the current thread makes while it is set: someone is
 * waiting for the answer (Atlantis's gate step, which {@code tidegate-hook} gives up on after
 * {@code TIDEGATE_TIMEOUT}), so GitHub may take only part of that wait. While a budget runs,
 * {@link CallPolicy} shortens each attempt's connect and read timeouts to what is left, does not
 * retry or wait for a rate limit beyond it, and fails the call as
 * {@link GitHubException.Failure#TIMEOUT} once it is spent. Threads without a budget keep the
 * client's own timeouts (the review worker: nobody waits for it).
 *
 * <p>OkHttp runs a synchronous call's interceptors on the caller's thread, so a per-thread
 * budget reaches every call made for one request.
 */
public final class GitHubDeadline {
    /** Per thread: the {@link System#nanoTime()} the budget ends, or null. */
    private static final ThreadLocal<long[]> DEADLINE = new ThreadLocal<>();

    private GitHubDeadline() {}

    /** Work that may call GitHub and throw {@code E}. */
    @FunctionalInterface
    public interface Work<T, E extends Exception> {
        T run() throws E;
    }

    /** Runs {@code work} with GitHub calls limited to {@code budget} in all. */
    public static <T, E extends Exception> T within(Duration budget, Work<T, E> work) throws E {
        Objects.requireNonNull(budget, "budget == null");
        long[] outer = DEADLINE.get();
        long end = System.nanoTime() + budget.toNanos();
        // A budget inside a budget cannot outlast the outer one.
        DEADLINE.set(new long[] {outer == null ? end : Math.min(end, outer[0])});
        try {
            return work.run();
        } finally {
            if (outer == null) {
                DEADLINE.remove();
            } else {
                DEADLINE.set(outer);
            }
        }
    }

    /** What is left of the current thread's budget (zero or less: spent); empty without one. */
    static Optional<Duration> remaining() {
        long[] d = DEADLINE.get();
        return d == null ? Optional.empty() : Optional.of(Duration.ofNanos(d[0] - System.nanoTime()));
    }
}
