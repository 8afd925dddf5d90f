package io.tidegate.store;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one loop both queue workers run ({@link InboxWorker}, {@link OutboxDispatcher}): claim a
 * batch under a lease, keep every claim of it alive with a {@link LeaseHeartbeat} while each is
 * worked in turn (the last waits for the first), and claim again; nothing claimed waits one poll
 * interval, and a store failing again and again waits longer each time (see {@code Failures}). What a claim is, how it is claimed
 * and what working it records are the queue's ({@link Queue}). Threads are daemons; safe for
 * concurrent {@link #runOnce} callers.
 *
 * @param <C> the claim type
 */
final class LeasedLoop<C> implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LeasedLoop.class);
    /** The longest wait between tries of a failing store, in poll intervals. */
    static final int MAX_BACKOFF_POLLS = 32;

    /** One queue, as the loop sees it. */
    interface Queue<C> {
        /** Claims what is claimable now, under a lease; empty when nothing is. */
        List<C> claim(Instant now);

        /** Extends a held claim's lease to {@code until}; {@code false} once it is stale. */
        boolean renew(C claim, Instant until);

        /** Works one claim and records its outcome (done, retry, give up); never throws. */
        void work(C claim);
    }

    /** How many threads poll, how long a lease runs and how long an idle thread waits. */
    record Pace(int threads, Duration lease, Duration pollInterval) {
        Pace {
            Objects.requireNonNull(lease, "lease == null");
            Objects.requireNonNull(pollInterval, "pollInterval == null");
            if (threads < 1) {
                throw new IllegalArgumentException("threads must be >= 1");
            }
        }
    }

    private final String name;
    private final Queue<C> queue;
    private final Clock clock;
    private final Pace pace;
    private final LeaseHeartbeat<C> heartbeat;
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean running;

    LeasedLoop(String name, Queue<C> queue, Clock clock, Pace pace) {
        this.name = Objects.requireNonNull(name, "name == null");
        this.queue = Objects.requireNonNull(queue, "queue == null");
        this.clock = Objects.requireNonNull(clock, "clock == null");
        this.pace = Objects.requireNonNull(pace, "pace == null");
        this.heartbeat = new LeaseHeartbeat<>(name, queue::renew, clock, pace.lease());
    }

    /** Claims once and works what it claimed; returns how many claims were worked. */
    int runOnce() {
        List<C> claims = queue.claim(clock.instant());
        claims.forEach(heartbeat::hold);
        try {
            for (C claim : claims) {
                queue.work(claim);
                heartbeat.release(claim);
            }
        } finally {
            claims.forEach(heartbeat::release);
        }
        return claims.size();
    }

    /** Claims and works until nothing is claimable; returns how many claims were worked. */
    int drain() {
        int total = 0;
        int n;
        while ((n = runOnce()) > 0) {
            total += n;
        }
        return total;
    }

    /** Starts the polling threads; a second call does nothing. */
    synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        for (int i = 0; i < pace.threads(); i++) {
            Thread t = new Thread(this::poll, name + "-" + i);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
    }

    private void poll() {
        Failures failures = new Failures();
        while (running) {
            try {
                int worked = runOnce();
                failures.over();
                if (worked == 0) {
                    TimeUnit.MILLISECONDS.sleep(pace.pollInterval().toMillis());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                if (!sleep(failures.wait(e))) {
                    return;
                }
            }
        }
    }

    /**
     * One thread's store failures in a row. A store that keeps failing (a full disk, a throttled
     * table) is tried again after a doubling wait, up to {@link #MAX_BACKOFF_POLLS} poll
     * intervals, and said at the 1st, 2nd, 4th, 8th... failure in a row and once when it answers
     * again. Every try was logged before: two ERROR lines a second per thread for as long as the
     * disk was full, a flood on a volume that may be the full one.
     */
    private final class Failures {
        private int inARow;

        /** How long to wait after {@code e}, said when the count reaches a power of two. */
        Duration wait(RuntimeException e) {
            inARow++;
            Duration wait = Backoff.exponential(pace.pollInterval(),
                    pace.pollInterval().multipliedBy(MAX_BACKOFF_POLLS), inARow);
            if (Integer.bitCount(inARow) == 1) {
                log.error("{}: {} (failed {} times in a row; next try in {} ms)", name,
                        e.toString(), inARow, wait.toMillis());
            }
            return wait;
        }

        /** The store answered: says so once after failures. */
        void over() {
            if (inARow > 0) {
                log.info("{}: the store answers again after {} failures in a row", name, inARow);
                inARow = 0;
            }
        }
    }

    private static boolean sleep(Duration d) {
        try {
            TimeUnit.MILLISECONDS.sleep(d.toMillis());
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Stops polling and waits for the claims in hand (up to one lease per thread). */
    @Override
    public synchronized void close() {
        running = false;
        for (Thread t : threads) {
            try {
                t.join(pace.lease().toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        threads.clear();
        heartbeat.close();
    }
}
