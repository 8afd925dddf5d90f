package io.tidegate;

import java.time.Duration;

/**
 * The one way a test waits for something another thread or process does: poll a condition
 * until it holds, and fail naming what was awaited once the deadline passes, so a test that
 * would hang fails instead. Deadlines are generous because the suite runs on loaded machines
 * (eight builds on two cores); a passing test never waits for them.
 */
public final class Poll {
    /** How long a background effect (dispatcher, worker, purge, webhook) may take. */
    public static final Duration PATIENCE = Duration.ofSeconds(60);
    /** How long a server or process may take to start (JVM start, migrations, first bind). */
    public static final Duration START_UP = Duration.ofSeconds(90);
    private static final long INTERVAL_MILLIS = 20;

    /** A condition that may throw (store reads, HTTP calls). */
    @FunctionalInterface
    public interface Condition {
        boolean holds() throws Exception;
    }

    private Poll() {}

    /** Waits up to {@link #PATIENCE} until {@code condition} holds. */
    public static void until(String what, Condition condition) throws InterruptedException {
        until(what, PATIENCE, condition);
    }

    /** Waits up to {@code within} until {@code condition} holds; fails naming {@code what}. */
    public static void until(String what, Duration within, Condition condition)
            throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (!check(what, condition)) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out after " + within.toSeconds()
                        + " s waiting for " + what);
            }
            Thread.sleep(INTERVAL_MILLIS);
        }
    }

    private static boolean check(String what, Condition condition) throws InterruptedException {
        try {
            return condition.holds();
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            throw new AssertionError("failed while waiting for " + what + ": " + e, e);
        }
    }
}
