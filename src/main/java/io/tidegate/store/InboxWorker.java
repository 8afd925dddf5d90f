package io.tidegate.store;

import io.tidegate.logging.SecretRedactor;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Polls the inbox, claims events under a lease, hands each to the {@link InboxHandler} and marks
 * it processed. A failing event is retried with exponential backoff and, after
 * {@link Settings#maxAttempts()}, marked failed so it no longer holds up its pull request.
 * Per-PR ordering comes from the store: only the oldest unfinished event of a key is claimable.
 *
 * <p>It runs the loop the outbox dispatcher runs too ({@link LeasedLoop}), one event per claim.
 * Leases are short and renewed by a heartbeat while the handler runs ({@link LeaseHeartbeat}):
 * a worker killed mid-event (kill -9, a lost replica) holds the event at most one lease after
 * its last heartbeat, then another worker takes it over.
 *
 * <p>Once bound to a registry it counts {@code tidegate.inbox.retries{kind}} (handling failed
 * and is scheduled again) and {@code tidegate.inbox.failures{kind}} (marked failed).
 */
public final class InboxWorker implements AutoCloseable, MeterBinder {
    private static final Logger log = LoggerFactory.getLogger(InboxWorker.class);

    /** How the worker polls and retries. */
    public record Settings(String workerId, int threads, Duration lease, Duration pollInterval,
            int maxAttempts, Duration firstRetryDelay, Duration maxRetryDelay) {
        public Settings {
            Objects.requireNonNull(workerId, "workerId == null");
            Objects.requireNonNull(lease, "lease == null");
            Objects.requireNonNull(pollInterval, "pollInterval == null");
            Objects.requireNonNull(firstRetryDelay, "firstRetryDelay == null");
            Objects.requireNonNull(maxRetryDelay, "maxRetryDelay == null");
            if (threads < 1 || maxAttempts < 1) {
                throw new IllegalArgumentException("threads and maxAttempts must be >= 1");
            }
        }

        public static Settings defaults(String workerId) {
            // 20 s: a dead replica's event is taken over within 20.5 s (lease + one poll)
            return new Settings(workerId, 2, Duration.ofSeconds(20), Duration.ofMillis(500), 5,
                    Duration.ofSeconds(10), Duration.ofMinutes(10));
        }
    }

    private final InboxStore inbox;
    private final InboxHandler handler;
    private final Clock clock;
    private final Settings settings;
    private final LeasedLoop<InboxClaim> loop;
    // an empty composite registry counts nothing until bindTo gives a real one
    private volatile MeterRegistry meters = new CompositeMeterRegistry();

    public InboxWorker(InboxStore inbox, InboxHandler handler, Clock clock, Settings settings) {
        this.inbox = Objects.requireNonNull(inbox, "inbox == null");
        this.handler = Objects.requireNonNull(handler, "handler == null");
        this.clock = Objects.requireNonNull(clock, "clock == null");
        this.settings = Objects.requireNonNull(settings, "settings == null");
        this.loop = new LeasedLoop<>("inbox-worker", new LeasedLoop.Queue<>() {
            @Override
            public List<InboxClaim> claim(Instant now) {
                return inbox.claim(settings.workerId(), now, settings.lease()).stream().toList();
            }

            @Override
            public boolean renew(InboxClaim claim, Instant until) {
                return inbox.renew(claim, until);
            }

            @Override
            public void work(InboxClaim claim) {
                handle(claim);
            }
        }, clock, new LeasedLoop.Pace(settings.threads(), settings.lease(),
                settings.pollInterval()));
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        this.meters = Objects.requireNonNull(registry, "registry == null");
    }

    private void count(String name, InboxEvent event) {
        Counter.builder(name).tag("kind", event.kind()).register(meters).increment();
    }

    /** Claims and handles one event; {@code false} when nothing was claimable. */
    public boolean processOne() {
        return loop.runOnce() > 0;
    }

    /** Handles events until none is claimable; returns how many were handed to the handler. */
    public int drain() {
        return loop.drain();
    }

    private void handle(InboxClaim claim) {
        InboxEvent e = claim.event();
        try {
            handler.handle(e);
        } catch (Exception ex) {
            failed(claim, describe(ex));
            return;
        }
        if (!inbox.markProcessed(claim, clock.instant())) {
            log.warn("inbox event {} ({}) was handled but its lease had been taken over",
                    e.id(), e.orderingKey());
        }
    }

    private void failed(InboxClaim claim, String error) {
        InboxEvent e = claim.event();
        Instant now = clock.instant();
        // after maxAttempts the event stops blocking its pull request; the error stays recorded
        if (claim.attempt() >= settings.maxAttempts()) {
            log.error("inbox event {} ({}) failed {} times, giving up: {}", e.id(),
                    e.orderingKey(), claim.attempt(), error);
            count("tidegate.inbox.failures", e);
            inbox.markFailed(claim, SecretRedactor.redact(error), now);
            return;
        }
        Duration delay = Backoff.exponential(settings.firstRetryDelay(), settings.maxRetryDelay(),
                claim.attempt());
        log.warn("inbox event {} ({}) failed on attempt {}, retrying in {}: {}", e.id(),
                e.orderingKey(), claim.attempt(), delay, error);
        count("tidegate.inbox.retries", e);
        inbox.retryLater(claim, SecretRedactor.redact(error), now.plus(delay));
    }

    static String describe(Exception e) {
        String m = e.getMessage();
        return e.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    }

    /** Starts polling threads; each sleeps {@code pollInterval} when the inbox is empty. */
    public void start() {
        loop.start();
    }

    /** Stops polling and waits for the event in hand to finish (up to the lease). */
    @Override
    public void close() {
        loop.close();
    }
}
