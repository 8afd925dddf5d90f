package io.tidegate.lifecycle;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Background work that runs again and again on one daemon thread named for it: a purge, a
 * sweep, a checkpoint, a lease heartbeat, the outbox's poll, the review timer. Each run answers
 * how long to wait before the next ({@link #every} for a fixed delay); {@link #wake} runs it
 * now instead. Runs never overlap.
 *
 * <p>A run that throws is logged and the job runs again after {@code afterFailure}: an
 * exception never silently ends the schedule, as it would with
 * {@code scheduleWithFixedDelay}. {@link #stop} lets the run in hand finish (up to a limit)
 * and starts no other. Safe for concurrent use.
 */
public final class PeriodicJob implements Service {
    /** How long {@link #stop()} waits for the run in hand. */
    public static final Duration STOP_WITHIN = Duration.ofSeconds(10);
    private static final Logger log = LoggerFactory.getLogger(PeriodicJob.class);

    /** One run of the job; answers the wait before the next run. */
    @FunctionalInterface
    public interface Run {
        Duration once();
    }

    private final String name;
    private final Duration first;
    private final Duration afterFailure;
    private final Run run;
    private ScheduledThreadPoolExecutor executor;
    private ScheduledFuture<?> pending;
    /** The id of the run to come: a run superseded by {@link #wake} finds it changed. */
    private long generation;
    private boolean stopped;

    /**
     * @param first        the wait before the first run after {@link #start}
     * @param afterFailure the wait after a run that threw
     */
    public PeriodicJob(String name, Duration first, Duration afterFailure, Run run) {
        this.name = Objects.requireNonNull(name, "name == null");
        this.first = Objects.requireNonNull(first, "first == null");
        this.afterFailure = Objects.requireNonNull(afterFailure, "afterFailure == null");
        this.run = Objects.requireNonNull(run, "run == null");
    }

    /** {@code work} after {@code first}, then again {@code every} after each run ends. */
    public static PeriodicJob every(String name, Duration first, Duration every, Runnable work) {
        Objects.requireNonNull(work, "work == null");
        return new PeriodicJob(name, first, every, () -> {
            work.run();
            return every;
        });
    }

    @Override
    public String name() {
        return name;
    }

    /** Starts the thread; the first run comes after {@code first}. Starting twice does nothing. */
    @Override
    public synchronized void start() {
        if (executor != null || stopped) {
            return;
        }
        executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
        // a stop must not wait for, or run, a run that is only scheduled
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        executor.setRemoveOnCancelPolicy(true);
        schedule(first);
    }

    /** Runs the job as soon as the run in hand (if any) ends, whatever the wait it asked for. */
    public synchronized void wake() {
        if (executor == null || stopped) {
            return;
        }
        pending.cancel(false);
        schedule(Duration.ZERO);
    }

    private void schedule(Duration wait) {
        long id = ++generation;
        pending = executor.schedule(() -> runOnce(id), Math.max(0, wait.toMillis()),
                TimeUnit.MILLISECONDS);
    }

    private void runOnce(long id) {
        synchronized (this) {
            if (stopped || id != generation) {
                return; // superseded by a wake, or stopping
            }
        }
        Duration next = afterFailure;
        try {
            next = run.once();
        } catch (RuntimeException e) {
            log.warn("{} failed, again in {}: {}", name, afterFailure, e.toString());
        }
        synchronized (this) {
            if (!stopped && id == generation) {
                schedule(next);
            }
        }
    }

    /** Stops, waiting up to {@link #STOP_WITHIN} for the run in hand. */
    @Override
    public void stop() {
        stop(STOP_WITHIN);
    }

    /** Starts no other run and waits up to {@code within} for the one in hand to end. */
    public void stop(Duration within) {
        ScheduledThreadPoolExecutor e;
        synchronized (this) {
            stopped = true;
            e = executor;
            if (e == null) {
                return;
            }
            pending.cancel(false);
            e.shutdown();
        }
        try {
            e.awaitTermination(within.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
        }
    }
}
