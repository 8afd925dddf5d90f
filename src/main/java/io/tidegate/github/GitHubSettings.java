package io.tidegate.github;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * How {@link GitHubApi} talks to GitHub. {@link #defaults} suits github.com; tests shorten the
 * waits with the {@code withX} copies.
 *
 * @param apiUrl           {@code https://api.github.com}, or Enterprise's
 *                         {@code https://host/api/v3}
 * @param cacheMaxBytes    size bound of the answers kept for conditional requests (bodies
 *                         only, in memory: no request header, no token, nothing on disk)
 * @param readTimeout      per attempt: connect, and each read of the response
 * @param callTimeout      per call, all retries and waits included
 * @param maxRetries       extra attempts of a GET after a 5xx or a timeout (writes: none)
 * @param firstBackoff     wait before the first retry; doubles each time
 * @param maxRateLimitWait longest wait for a rate limit to reset before failing instead
 * @param membershipTtl    how long a team membership answer is trusted without a webhook
 * @param pageSize         items per page when listing reviews and comments (GitHub's max: 100)
 */
public record GitHubSettings(
        URI apiUrl,
        GitHubCredentials credentials,
        long cacheMaxBytes,
        Duration readTimeout,
        Duration callTimeout,
        int maxRetries,
        Duration firstBackoff,
        Duration maxRateLimitWait,
        Duration membershipTtl,
        int pageSize) {

    public GitHubSettings {
        Objects.requireNonNull(apiUrl, "apiUrl == null");
        Objects.requireNonNull(credentials, "credentials == null");
        Objects.requireNonNull(readTimeout, "readTimeout == null");
        Objects.requireNonNull(callTimeout, "callTimeout == null");
        Objects.requireNonNull(firstBackoff, "firstBackoff == null");
        Objects.requireNonNull(maxRateLimitWait, "maxRateLimitWait == null");
        Objects.requireNonNull(membershipTtl, "membershipTtl == null");
        if (maxRetries < 0 || pageSize < 1 || pageSize > 100 || cacheMaxBytes < 1) {
            throw new IllegalArgumentException("maxRetries >= 0, 1 <= pageSize <= 100 and "
                    + "cacheMaxBytes >= 1 are required");
        }
    }

    public static GitHubSettings defaults(URI apiUrl, GitHubCredentials credentials) {
        return new GitHubSettings(apiUrl, credentials, 50L * 1024 * 1024,
                Duration.ofSeconds(10), Duration.ofSeconds(30), 3, Duration.ofMillis(500),
                Duration.ofSeconds(10), Duration.ofMinutes(10), 100);
    }

    public GitHubSettings withTimeouts(Duration read, Duration call) {
        return new GitHubSettings(apiUrl, credentials, cacheMaxBytes, read, call,
                maxRetries, firstBackoff, maxRateLimitWait, membershipTtl, pageSize);
    }

    public GitHubSettings withRetries(int retries, Duration backoff, Duration rateLimitWait) {
        return new GitHubSettings(apiUrl, credentials, cacheMaxBytes, readTimeout,
                callTimeout, retries, backoff, rateLimitWait, membershipTtl, pageSize);
    }

    public GitHubSettings withPageSize(int size) {
        return new GitHubSettings(apiUrl, credentials, cacheMaxBytes, readTimeout,
                callTimeout, maxRetries, firstBackoff, maxRateLimitWait, membershipTtl, size);
    }
}
