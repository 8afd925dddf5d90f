package io.tidegate.github;

import java.io.Closeable;
import java.io.File;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import okhttp3.Cache;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import org.kohsuke.github.GHRepository;
import org.kohsuke.github.GitHub;
import org.kohsuke.github.GitHubAbuseLimitHandler;
import org.kohsuke.github.GitHubBuilder;
import org.kohsuke.github.GitHubRateLimitHandler;
import org.kohsuke.github.HttpException;
import org.kohsuke.github.authorization.AuthorizationProvider;
import org.kohsuke.github.extras.okhttp3.OkHttpGitHubConnector;

/**
 * One authenticated connection to GitHub's API, shared by {@link GitHubPullRequests} and
 * {@link GitHubPullRequestWriter}: hub4j's client over OkHttp with
 *
 * <ul>
 *   <li>an HTTP cache, so hub4j's and our reads are conditional ({@code If-None-Match}); a 304
 *       does not count against GitHub's rate limit. It is kept in memory ({@link MemoryFiles}):
 *       GitHub answers {@code Vary: Authorization}, so a cache entry holds the request's token,
 *       which must never reach a disk;</li>
 *   <li>{@link CallPolicy} (retries, rate limits) and {@link ApiCallMeter} (metrics);</li>
 *   <li>a personal token, or a GitHub App's installation tokens ({@link AppAuthorization}),
 *       with one hub4j client per installation.</li>
 * </ul>
 *
 * Thread-safe. {@link #close()} drops the cache; the shared OkHttp client's pools stay open for
 * its other users.
 */
public final class GitHubApi implements Closeable {
    /** {@code owner/name} as GitHub allows them. */
    static final Pattern REPO = Pattern.compile("[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+");

    private final GitHubSettings settings;
    private final OkHttpClient http;
    private final Cache cache;
    private final JsonCalls json;
    private final Optional<AppAuthorization> app;
    private final Optional<GitHub> tokenClient;
    private final Map<Long, GitHub> installationClients = new ConcurrentHashMap<>();
    private final Map<String, GHRepository> repositories = new ConcurrentHashMap<>();
    /** Tidegate's own login, read once (it does not change while the credentials do not). */
    private volatile String ownLogin;

    private GitHubApi(GitHubSettings settings, OkHttpClient base, MeterRegistry registry,
            Clock clock) throws IOException {
        this.settings = settings;
        // the folder only names the entries: MemoryFiles keeps them on the heap
        this.cache = new Cache(new File("tidegate-github-cache"), settings.cacheMaxBytes(),
                new MemoryFiles());
        RateLimits limits = new RateLimits(clock);
        this.http = base.newBuilder()
                .cache(cache)
                .addInterceptor(new CallPolicy(settings, limits, registry))
                .addNetworkInterceptor(new ApiCallMeter(limits, registry))
                .connectTimeout(settings.readTimeout())
                .readTimeout(settings.readTimeout())
                .writeTimeout(settings.readTimeout())
                .callTimeout(settings.callTimeout())
                // CallPolicy is the one place that retries, so attempts are counted and bounded.
                .retryOnConnectionFailure(false)
                .build();
        HttpUrl api = HttpUrl.get(settings.apiUrl().toString().replaceAll("/+$", ""));
        this.json = new JsonCalls(http, api, new ObjectMapper());
        if (settings.credentials() instanceof GitHubCredentials.App a) {
            this.app = Optional.of(new AppAuthorization(a, clock, json));
            this.tokenClient = Optional.empty();
        } else {
            String token = ((GitHubCredentials.PersonalToken) settings.credentials()).token();
            this.app = Optional.empty();
            this.tokenClient = Optional.of(client(() -> "token " + token));
        }
    }

    /**
     * Connects (no request is made yet). {@code base} is the process's shared OkHttp client; a
     * derived client with the cache and interceptors is used, sharing its connection pool.
     */
    public static GitHubApi connect(GitHubSettings settings, OkHttpClient base,
            MeterRegistry registry, Clock clock) throws IOException {
        return new GitHubApi(Objects.requireNonNull(settings, "settings == null"),
                Objects.requireNonNull(base, "base == null"),
                Objects.requireNonNull(registry, "registry == null"),
                Objects.requireNonNull(clock, "clock == null"));
    }

    GitHubSettings settings() {
        return settings;
    }

    JsonCalls json() {
        return json;
    }

    /** The {@code Authorization} header for calls about {@code repo}. */
    String authorizationForRepo(String repo) throws GitHubException {
        if (app.isEmpty()) {
            return tokenAuthorization();
        }
        return app.get().authorization(app.get().installationForRepo(repo));
    }

    /** The {@code Authorization} header for calls about organisation {@code org}. */
    String authorizationForOrg(String org) throws GitHubException {
        if (app.isEmpty()) {
            return tokenAuthorization();
        }
        return app.get().authorization(app.get().installationForOrg(org));
    }

    /**
     * The login GitHub shows as the author of what Tidegate writes: the token's user
     * ({@code GET /user}), or for a GitHub App its bot, {@code <slug>[bot]} ({@code GET /app}
     * with the App's JWT; GitHub names an App's bot user so). Asked once, then kept; a failure
     * is not kept, so the next call asks again.
     */
    String ownLogin() throws GitHubException {
        String known = ownLogin;
        if (known != null) {
            return known;
        }
        String login;
        if (app.isPresent()) {
            String what = "read the GitHub App's own slug";
            JsonNode body = json.get("/app", app.get().bearer(), what).orElseThrow(() ->
                    new GitHubException(what, GitHubException.Failure.NOT_FOUND, "HTTP 404",
                            null));
            login = JsonCalls.text(body, "slug", what) + "[bot]";
        } else {
            String what = "read the token's own GitHub user";
            JsonNode body = json.get("/user", tokenAuthorization(), what).orElseThrow(() ->
                    new GitHubException(what, GitHubException.Failure.NOT_FOUND, "HTTP 404",
                            null));
            login = JsonCalls.text(body, "login", what);
        }
        ownLogin = login;
        return login;
    }

    private String tokenAuthorization() {
        return "token " + ((GitHubCredentials.PersonalToken) settings.credentials()).token();
    }

    /**
     * hub4j's view of {@code repo}. Kept for the process's life: the object only names the
     * repository, and reading it again would cost a request per use.
     */
    GHRepository repository(String repo) throws GitHubException {
        GHRepository known = repositories.get(repo);
        if (known != null) {
            return known;
        }
        GitHub client = clientFor(repo);
        GHRepository fresh = call("read repository " + repo, () -> client.getRepository(repo));
        repositories.put(repo, fresh);
        return fresh;
    }

    private GitHub clientFor(String repo) throws GitHubException {
        if (tokenClient.isPresent()) {
            return tokenClient.get();
        }
        AppAuthorization a = app.get();
        long installation = a.installationForRepo(repo);
        GitHub known = installationClients.get(installation);
        if (known != null) {
            return known;
        }
        GitHub fresh = call("connect as installation " + installation,
                () -> client(() -> a.authorization(installation)));
        installationClients.put(installation, fresh);
        return fresh;
    }

    private GitHub client(AuthorizationProvider authorization) throws IOException {
        return new GitHubBuilder()
                .withEndpoint(settings.apiUrl().toString().replaceAll("/+$", ""))
                .withConnector(new OkHttpGitHubConnector(http))
                .withAuthorizationProvider(authorization)
                // CallPolicy already waited when waiting was short; hub4j must not wait an hour.
                .withRateLimitHandler(GitHubRateLimitHandler.FAIL)
                .withAbuseLimitHandler(GitHubAbuseLimitHandler.FAIL)
                .build();
    }

    /** A hub4j call whose failure becomes a {@link GitHubException} saying {@code what}. */
    <T> T call(String what, HubCall<T> call) throws GitHubException {
        try {
            return call.run();
        } catch (IOException e) {
            throw translate(what, e);
        }
    }

    /** One hub4j call. */
    @FunctionalInterface
    interface HubCall<T> {
        T run() throws IOException;
    }

    static GitHubException translate(String what, IOException e) {
        if (e instanceof GitHubException g) {
            return g;
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof CallFailure f) {
                return new GitHubException(what, f.failure(), f.getMessage(), e);
            }
            if (t instanceof GitHubException g) {
                return new GitHubException(what, g.failure(), g.getMessage(), e);
            }
        }
        if (e instanceof FileNotFoundException) {
            return new GitHubException(what, GitHubException.Failure.NOT_FOUND, "HTTP 404", e);
        }
        if (e instanceof HttpException h && h.getResponseCode() > 0) {
            return new GitHubException(what, failureOf(h.getResponseCode()),
                    "HTTP " + h.getResponseCode(), e);
        }
        CallFailure f = CallPolicy.failure(e);
        return new GitHubException(what, f.failure(), f.getMessage(), e);
    }

    static GitHubException.Failure failureOf(int status) {
        if (status == 401) {
            return GitHubException.Failure.UNAUTHORIZED;
        }
        if (status == 403) {
            return GitHubException.Failure.FORBIDDEN;
        }
        if (status == 404) {
            return GitHubException.Failure.NOT_FOUND;
        }
        if (status == 429) {
            return GitHubException.Failure.RATE_LIMITED;
        }
        return status >= 500 ? GitHubException.Failure.SERVER_ERROR
                : GitHubException.Failure.BAD_RESPONSE;
    }

    static void requireRepo(String repo) {
        Objects.requireNonNull(repo, "repo == null");
        if (!REPO.matcher(repo).matches()) {
            throw new IllegalArgumentException("repo must be owner/name, got '" + repo + "'");
        }
    }

    @Override
    public void close() throws IOException {
        cache.delete();
    }
}
