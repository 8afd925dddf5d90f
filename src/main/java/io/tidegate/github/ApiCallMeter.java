package io.tidegate.github;

import java.io.IOException;
import java.util.Objects;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import okhttp3.Interceptor;
import okhttp3.Request;
import okhttp3.Response;

/**
 * The OkHttp network interceptor that sees every request that really goes to GitHub (a
 * 304 included, before {@link ConditionalRequests} replays the kept body): it counts them by
 * outcome in {@value #CALLS} and feeds the
 * rate-limit headers to {@link RateLimits}, exported as {@value #REMAINING}.
 *
 * <p>Outcomes: {@code ok}, {@code not_modified} (a conditional request answered 304, which GitHub
 * does not charge to the rate limit), {@code not_found}, {@code rate_limited},
 * {@code client_error}, {@code server_error}, {@code io_error}; {@link CallPolicy} adds
 * {@code refused_rate_limited} for calls it did not send. Each round trip's time also goes to
 * the calling thread's {@link GitHubWait}.
 */
final class ApiCallMeter implements Interceptor {
    static final String CALLS = "tidegate.github.api.calls";
    static final String REMAINING = "tidegate.github.rate.limit.remaining";

    private final RateLimits limits;
    private final MeterRegistry registry;

    ApiCallMeter(RateLimits limits, MeterRegistry registry) {
        this.limits = Objects.requireNonNull(limits, "limits == null");
        this.registry = Objects.requireNonNull(registry, "registry == null");
        Gauge.builder(REMAINING, limits, RateLimits::remaining)
                .description("X-RateLimit-Remaining of GitHub's latest response (-1: none yet)")
                .register(registry);
    }

    @Override
    public Response intercept(Chain chain) throws IOException {
        Request request = chain.request();
        Response response;
        long start = System.nanoTime();
        try {
            response = chain.proceed(request);
        } catch (IOException e) {
            count(request, "io_error");
            throw e;
        } finally {
            GitHubWait.request(System.nanoTime() - start);
        }
        limits.observe(request, response);
        count(request, outcome(response));
        return response;
    }

    private String outcome(Response response) {
        int code = response.code();
        if (code == 304) {
            return "not_modified";
        }
        if (code < 400) {
            return "ok";
        }
        if (code == 404) {
            return "not_found";
        }
        if (limits.waitFor(response).isPresent()) {
            return "rate_limited";
        }
        return code < 500 ? "client_error" : "server_error";
    }

    private void count(Request request, String outcome) {
        registry.counter(CALLS, "outcome", outcome, "method", request.method()).increment();
    }
}
