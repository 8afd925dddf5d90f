package io.tidegate.github;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

import io.micrometer.core.instrument.MeterRegistry;
import okhttp3.Interceptor;
import okhttp3.Request;
import okhttp3.Response;

/**
 * The OkHttp application interceptor that decides when to try a GitHub call again:
 *
 * <ul>
 *   <li>A credential whose rate limit is known to be spent is not used until its reset: the
 *       call fails at once ({@link GitHubException.Failure#RATE_LIMITED}), costing nothing.</li>
 *   <li>A rate-limit refusal (403/429 with {@code Retry-After} or
 *       {@code X-RateLimit-Remaining: 0}) is retried after the wait GitHub asks for, if that is at
 *       most {@code maxRateLimitWait}; otherwise it fails at once. GitHub rejected the request,
 *       so this is safe for writes too.</li>
 *   <li>A 5xx, a timeout or a broken connection is retried for GET only, at most
 *       {@code maxRetries} times with doubling backoff: a repeated POST could comment twice. Writes
 *       are retried by the outbox, which re-reads first.</li>
 * </ul>
 *
 * OkHttp's call timeout bounds all attempts and waits together. A {@link GitHubDeadline} set on
 * the calling thread bounds them tighter: each attempt's connect and read timeouts are cut to
 * what is left of it, and no retry or wait starts that it would not cover.
 */
final class CallPolicy implements Interceptor {
    private final GitHubSettings settings;
    private final RateLimits limits;
    private final MeterRegistry registry;

    CallPolicy(GitHubSettings settings, RateLimits limits, MeterRegistry registry) {
        this.settings = Objects.requireNonNull(settings, "settings == null");
        this.limits = Objects.requireNonNull(limits, "limits == null");
        this.registry = Objects.requireNonNull(registry, "registry == null");
    }

    @Override
    public Response intercept(Chain chain) throws IOException {
        Request request = chain.request();
        Optional<Instant> exhausted = limits.exhaustedUntil(request);
        if (exhausted.isPresent()) {
            registry.counter(ApiCallMeter.CALLS, "outcome", "refused_rate_limited",
                    "method", request.method()).increment();
            throw new CallFailure(GitHubException.Failure.RATE_LIMITED,
                    "GitHub rate limit exhausted until " + exhausted.get(), null);
        }
        boolean retrySafe = "GET".equals(request.method()) || "HEAD".equals(request.method());
        for (int attempt = 0; ; attempt++) {
            boolean mayRetry = attempt < settings.maxRetries();
            Response response = send(withinDeadline(chain), request, retrySafe && mayRetry);
            if (response == null) {
                pause(chain, backoff(attempt));
                continue;
            }
            Optional<Duration> wait = limits.waitFor(response);
            if (wait.isPresent()) {
                response.close();
                if (!mayRetry || wait.get().compareTo(settings.maxRateLimitWait()) > 0) {
                    throw new CallFailure(GitHubException.Failure.RATE_LIMITED,
                            "GitHub rate limit: retry after " + limits.now().plus(wait.get())
                                    + " (HTTP " + response.code() + ")", null);
                }
                pause(chain, wait.get());
                continue;
            }
            if (response.code() >= 500 && retrySafe && mayRetry) {
                response.close();
                pause(chain, backoff(attempt));
                continue;
            }
            return response;
        }
    }

    /**
     * The chain with connect and read timeouts cut to the thread's {@link GitHubDeadline};
     * a spent budget fails the call before it is sent.
     */
    private Chain withinDeadline(Chain chain) throws CallFailure {
        Optional<Duration> left = GitHubDeadline.remaining();
        if (left.isEmpty()) {
            return chain;
        }
        long ms = left.get().toMillis();
        if (ms <= 0) {
            throw new CallFailure(GitHubException.Failure.TIMEOUT, "timed out: the time budget "
                    + "for GitHub was spent before GitHub answered", null);
        }
        int cut = (int) Math.min(ms, settings.readTimeout().toMillis());
        return chain.withConnectTimeout(cut, java.util.concurrent.TimeUnit.MILLISECONDS)
                .withReadTimeout(cut, java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    /** The response, or null when a transport failure may be retried. */
    private static Response send(Chain chain, Request request, boolean mayRetry)
            throws IOException {
        try {
            return chain.proceed(request);
        } catch (IOException e) {
            if (mayRetry && !chain.call().isCanceled()) {
                return null;
            }
            throw failure(e);
        }
    }

    static CallFailure failure(IOException e) {
        if (e instanceof CallFailure f) {
            return f;
        }
        boolean timeout = e instanceof InterruptedIOException;
        return new CallFailure(timeout ? GitHubException.Failure.TIMEOUT
                : GitHubException.Failure.UNREACHABLE,
                (timeout ? "timed out: " : "no connection: ") + e, e);
    }

    private Duration backoff(int attempt) {
        long base = settings.firstBackoff().toMillis() << Math.min(attempt, 16);
        // Up to 20 % jitter, so workers that failed together do not retry together.
        long jitter = base / 5 == 0 ? 0 : ThreadLocalRandom.current().nextLong(base / 5 + 1);
        return Duration.ofMillis(base + jitter);
    }

    private static void pause(Chain chain, Duration wait) throws IOException {
        Optional<Duration> left = GitHubDeadline.remaining();
        // Rule: never sleep past the budget of whoever waits for this call.
        if (left.isPresent() && left.get().compareTo(wait) <= 0) {
            throw new CallFailure(GitHubException.Failure.TIMEOUT, "timed out: GitHub asked "
                    + "for a wait of " + wait.toMillis() + " ms and the time budget for GitHub "
                    + "has " + Math.max(0, left.get().toMillis()) + " ms left", null);
        }
        long start = System.nanoTime();
        try {
            Thread.sleep(wait.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CallFailure(GitHubException.Failure.TIMEOUT, "interrupted while waiting", e);
        } finally {
            // Waiting for GitHub to recover is GitHub's time, not ours.
            GitHubWait.pause(System.nanoTime() - start);
        }
        // The call timeout fired while we slept: stop instead of trying once more.
        if (chain.call().isCanceled()) {
            throw new CallFailure(GitHubException.Failure.TIMEOUT,
                    "timed out: call timeout reached while waiting to retry", null);
        }
    }
}
