package io.tidegate.store;

import io.tidegate.logging.SecretRedactor;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.DoubleSupplier;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Polls the outbox for due effects and performs each with the {@link EffectPerformer} of its
 * kind. Failures are retried with exponential backoff and jitter (or after the performer's
 * retry-after hint); after {@link Settings#maxAttempts()} attempts, or on a permanent failure,
 * the effect is given up with its last error kept. An effect whose kind has no performer is
 * given up at once: that is a wiring mistake, not something time fixes. It runs the loop the
 * inbox worker runs too ({@link LeasedLoop}), a batch per claim, its leases renewed while the
 * batch is in hand.
 *
 * <p>Once bound to a registry it counts {@code tidegate.outbox.retries{kind}} (an attempt failed
 * and is scheduled again) and {@code tidegate.outbox.failures{kind}} (given up: the effect will
 * never happen without an operator).
 */
public final class OutboxDispatcher implements AutoCloseable, MeterBinder {
    private static final Logger log = LoggerFactory.getLogger(OutboxDispatcher.class);

    /** How the dispatcher polls and retries. */
    public record Settings(String workerId, Duration lease, int batchSize, Duration pollInterval,
            int maxAttempts, Duration firstRetryDelay, Duration maxRetryDelay) {
        public Settings {
            Objects.requireNonNull(workerId, "workerId == null");
            Objects.requireNonNull(lease, "lease == null");
            Objects.requireNonNull(pollInterval, "pollInterval == null");
            Objects.requireNonNull(firstRetryDelay, "firstRetryDelay == null");
            Objects.requireNonNull(maxRetryDelay, "maxRetryDelay == null");
            if (batchSize < 1 || maxAttempts < 1) {
                throw new IllegalArgumentException("batchSize and maxAttempts must be >= 1");
            }
        }

        public static Settings defaults(String workerId) {
            // 20 s, renewed while the batch is in hand: a dead replica's effects are due again
            // within 20 s of its last heartbeat
            return new Settings(workerId, Duration.ofSeconds(20), 10, Duration.ofMillis(500), 8,
                    Duration.ofSeconds(5), Duration.ofMinutes(15));
        }
    }

    private final OutboxStore outbox;
    private final Map<String, EffectPerformer> performers;
    private final Clock clock;
    private final Settings settings;
    private final DoubleSupplier jitter;
    private final LeasedLoop<OutboxClaim> loop;
    // an empty composite registry counts nothing until bindTo gives a real one
    private volatile MeterRegistry meters = new CompositeMeterRegistry();

    /**
     * @param performers one per effect kind
     * @param jitter     random numbers in [0, 1) that spread retries ({@code Math::random})
     */
    public OutboxDispatcher(OutboxStore outbox, Map<String, EffectPerformer> performers,
            Clock clock, Settings settings, DoubleSupplier jitter) {
        this.outbox = Objects.requireNonNull(outbox, "outbox == null");
        this.performers = Map.copyOf(performers);
        this.clock = Objects.requireNonNull(clock, "clock == null");
        this.settings = Objects.requireNonNull(settings, "settings == null");
        this.jitter = Objects.requireNonNull(jitter, "jitter == null");
        this.loop = new LeasedLoop<>("outbox-dispatcher", new LeasedLoop.Queue<>() {
            @Override
            public List<OutboxClaim> claim(Instant now) {
                return outbox.claimDue(settings.workerId(), now, settings.lease(),
                        settings.batchSize());
            }

            @Override
            public boolean renew(OutboxClaim claim, Instant until) {
                return outbox.renew(claim, until);
            }

            @Override
            public void work(OutboxClaim claim) {
                attempt(claim);
            }
        }, clock, new LeasedLoop.Pace(1, settings.lease(), settings.pollInterval()));
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        this.meters = Objects.requireNonNull(registry, "registry == null");
    }

    private void count(String name, Effect effect) {
        Counter.builder(name).tag("kind", effect.kind()).register(meters).increment();
    }

    /** Claims one batch of due effects and attempts each; returns how many it attempted. */
    public int runOnce() {
        return loop.runOnce();
    }

    /** Runs batches until nothing is due; returns how many attempts were made. */
    public int drain() {
        return loop.drain();
    }

    private void attempt(OutboxClaim claim) {
        EffectPerformer performer = performers.get(claim.effect().kind());
        if (performer == null) {
            giveUp(claim, "no performer for effect kind '" + claim.effect().kind() + "'");
            return;
        }
        PerformResult result;
        try {
            result = performer.perform(claim.effect(), claim.attempt());
        } catch (Exception e) {
            result = PerformResult.retry(InboxWorker.describe(e));
        }
        record(claim, result);
    }

    private void record(OutboxClaim claim, PerformResult result) {
        if (result instanceof PerformResult.Done) {
            if (!outbox.markDone(claim, clock.instant())) {
                log.warn("effect {} was performed but its lease had been taken over",
                        claim.effect().idempotencyKey());
            }
        } else if (result instanceof PerformResult.Permanent p) {
            giveUp(claim, p.error());
        } else if (result instanceof PerformResult.Retry r) {
            retry(claim, r);
        } else {
            throw new AssertionError(result);
        }
    }

    private void retry(OutboxClaim claim, PerformResult.Retry r) {
        // the attempt limit wins over any hint: the effect stops here, its error kept
        if (claim.attempt() >= settings.maxAttempts()) {
            giveUp(claim, r.error() + " (gave up after " + claim.attempt() + " attempts)");
            return;
        }
        Duration delay = r.retryAfter().orElseGet(() -> Backoff.jittered(Backoff.exponential(
                settings.firstRetryDelay(), settings.maxRetryDelay(), claim.attempt()),
                jitter.getAsDouble()));
        Instant next = clock.instant().plus(delay);
        log.warn("effect {} ({}) failed on attempt {}, next attempt at {}: {}",
                claim.effect().idempotencyKey(), claim.effect().kind(), claim.attempt(), next,
                r.error());
        count("tidegate.outbox.retries", claim.effect());
        // stored errors leave the process (metrics, APIs): masked like the logs
        outbox.retryAt(claim, SecretRedactor.redact(r.error()), next);
    }

    private void giveUp(OutboxClaim claim, String error) {
        log.error("effect {} ({}) given up: {}", claim.effect().idempotencyKey(),
                claim.effect().kind(), error);
        count("tidegate.outbox.failures", claim.effect());
        outbox.giveUp(claim, SecretRedactor.redact(error), clock.instant());
    }

    /** Starts polling on one thread, waiting {@code pollInterval} whenever nothing is due. */
    public void start() {
        loop.start();
    }

    /** Stops polling and waits for the batch in hand (up to the lease). */
    @Override
    public void close() {
        loop.close();
    }
}
