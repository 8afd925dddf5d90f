package io.tidegate.github;

/**
 * How long the current thread has waited for GitHub, and how many requests it sent: OkHttp runs
 * a synchronous call's interceptors on the caller's thread, so a per-thread total fed by
 * {@link ApiCallMeter} (each network round trip, up to the response headers) and
 * {@link CallPolicy} (each pause before a retry) tells a request handler which part of its time
 * was GitHub's. Reading a body after the headers and reading a kept body after a 304 count as our
 * own time. Callers take a {@link #now()} before and after their work and subtract.
 */
public final class GitHubWait {
    /** Per thread: {nanoseconds waited, requests sent}; only ever touched by its own thread. */
    private static final ThreadLocal<long[]> TOTALS = ThreadLocal.withInitial(() -> new long[2]);

    private GitHubWait() {}

    /** The thread's totals so far; subtract two of them for the wait in between. */
    public record Totals(long nanos, long requests) {
        public Totals minus(Totals earlier) {
            return new Totals(nanos - earlier.nanos, requests - earlier.requests);
        }
    }

    public static Totals now() {
        long[] t = TOTALS.get();
        return new Totals(t[0], t[1]);
    }

    /** A round trip to GitHub that took {@code nanos}. */
    static void request(long nanos) {
        long[] t = TOTALS.get();
        t[0] += nanos;
        t[1]++;
    }

    /** A pause before trying GitHub again (backoff, or a short rate-limit wait). */
    static void pause(long nanos) {
        TOTALS.get()[0] += nanos;
    }
}
