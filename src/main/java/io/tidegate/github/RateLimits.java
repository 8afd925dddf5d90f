package io.tidegate.github;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import okhttp3.Request;
import okhttp3.Response;

/**
 * What GitHub's rate-limit headers said last, per credential: the remaining budget (exported as
 * a gauge) and, once it hits zero, when it resets, so later calls fail at once instead of
 * spending requests GitHub will refuse
 * (https://docs.github.com/en/rest/using-the-rest-api/rate-limits-for-the-rest-api).
 * Thread-safe.
 */
final class RateLimits {
    /** GitHub: without Retry-After, wait at least a minute after a secondary rate limit. */
    static final Duration SECONDARY_LIMIT_WAIT = Duration.ofMinutes(1);

    private final Clock clock;
    private final AtomicLong remaining = new AtomicLong(-1);
    /** Reset instant per credential (hash of the Authorization header, never the header). */
    private final Map<Integer, Instant> exhaustedUntil = new ConcurrentHashMap<>();

    RateLimits(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock == null");
    }

    /** Last remaining count GitHub reported; -1 before any response. */
    long remaining() {
        return remaining.get();
    }

    /** Records the headers of a response to {@code request}. */
    void observe(Request request, Response response) {
        header(response, "X-RateLimit-Remaining").ifPresent(r -> {
            remaining.set(r);
            Optional<Long> reset = header(response, "X-RateLimit-Reset");
            if (r == 0 && reset.isPresent()) {
                exhaustedUntil.put(key(request), Instant.ofEpochSecond(reset.get()));
            } else if (r > 0) {
                exhaustedUntil.remove(key(request));
            }
        });
    }

    /** When the budget of {@code request}'s credential is known to be spent: until when. */
    Optional<Instant> exhaustedUntil(Request request) {
        Instant until = exhaustedUntil.get(key(request));
        if (until == null || !clock.instant().isBefore(until)) {
            return Optional.empty();
        }
        return Optional.of(until);
    }

    /**
     * How long GitHub asks us to wait before repeating {@code response}'s request; empty when the
     * response is not a rate-limit refusal (a plain 403 is a permission problem).
     */
    Optional<Duration> waitFor(Response response) {
        if (response.code() != 403 && response.code() != 429) {
            return Optional.empty();
        }
        Optional<Long> retryAfter = header(response, "Retry-After");
        if (retryAfter.isPresent()) {
            return Optional.of(Duration.ofSeconds(Math.max(0, retryAfter.get())));
        }
        Optional<Long> reset = header(response, "X-RateLimit-Reset");
        if (header(response, "X-RateLimit-Remaining").orElse(-1L) == 0 && reset.isPresent()) {
            Duration d = Duration.between(clock.instant(), Instant.ofEpochSecond(reset.get()));
            // One second more, as reset is rounded down to whole seconds.
            return Optional.of(d.isNegative() ? Duration.ZERO : d.plusSeconds(1));
        }
        if (mentionsSecondaryLimit(response)) {
            return Optional.of(SECONDARY_LIMIT_WAIT);
        }
        return Optional.empty();
    }

    Instant now() {
        return clock.instant();
    }

    private static boolean mentionsSecondaryLimit(Response response) {
        try {
            String body = response.peekBody(4096).string().toLowerCase(Locale.ROOT);
            return body.contains("secondary rate limit") || body.contains("abuse detection");
        } catch (java.io.IOException e) {
            return false;
        }
    }

    private static int key(Request request) {
        return Objects.hashCode(request.header("Authorization"));
    }

    private static Optional<Long> header(Response response, String name) {
        String v = response.header(name);
        if (v == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(Long.parseLong(v.trim()));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
