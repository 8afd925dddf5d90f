package io.tidegate.github;

import java.io.Closeable;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import org.kohsuke.github.GHApp;
import org.kohsuke.github.GHAppInstallation;
import org.kohsuke.github.GHRepository;
import org.kohsuke.github.GitHub;
import org.kohsuke.github.GitHubAbuseLimitHandler;
import org.kohsuke.github.GitHubBuilder;
import org.kohsuke.github.GitHubRateLimitHandler;
import org.kohsuke.github.HttpException;
import org.kohsuke.github.authorization.AppInstallationAuthorizationProvider;
import org.kohsuke.github.authorization.AuthorizationProvider;
import org.kohsuke.github.extras.authorization.JWTTokenProvider;
import org.kohsuke.github.extras.okhttp3.OkHttpGitHubConnector;

/**
 * The one client of GitHub's API, shared by {@link GitHubPullRequests} and
 * {@link GitHubPullRequestWriter}: hub4j's {@code github-api} (1.330) over its
 * {@code OkHttpGitHubConnector}, on one OkHttp client that carries
 *
 * <ul>
 *   <li>{@link CallPolicy}: the one retry path (5xx and timeouts for GET, short rate-limit
 *       waits), the thread's {@link GitHubDeadline}, the spent-credential refusal;</li>
 *   <li>{@link ConditionalRequests}: every GET conditional on the ETag kept in memory, a 304
 *       answered with the kept body (no disk, no token kept);</li>
 *   <li>{@link ApiCallMeter}: metrics, {@link RateLimits}, the thread's {@link GitHubWait}.</li>
 * </ul>
 *
 * Authentication is hub4j's: a personal token ({@code ImmutableAuthorizationProvider}), or a
 * GitHub App ({@code JWTTokenProvider} signs the JWT, {@code AppInstallationAuthorizationProvider}
 * creates installation tokens and renews them five minutes before expiry), with one hub4j client
 * per installation. The few calls hub4j cannot make at the same cost ({@link JsonCalls}) go over
 * the same OkHttp client with the same {@code Authorization} header, and every failure, from hub4j
 * or not, becomes a {@link GitHubException} through {@link #translate}.
 *
 * <p>Thread-safe. {@link #close()} drops the kept answers; the shared OkHttp client's pools stay
 * open for its other users.
 */
public final class GitHubApi implements Closeable {
    /** {@code owner/name} as GitHub allows them. */
    static final Pattern REPO = Pattern.compile("[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+");
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final GitHubSettings settings;
    private final String endpoint;
    private final OkHttpClient http;
    private final ConditionalRequests conditional;
    private final JsonCalls json;
    private final Optional<AppClients> app;
    private final Optional<AuthorizationProvider> tokenAuthorization;
    private final Optional<GitHub> tokenClient;
    private final Map<String, GHRepository> repositories = new ConcurrentHashMap<>();
    /** Tidegate's own login, read once (it does not change while the credentials do not). */
    private volatile String ownLogin;

    private GitHubApi(GitHubSettings settings, OkHttpClient base, MeterRegistry registry,
            Clock clock) throws IOException {
        this.settings = settings;
        this.endpoint = settings.apiUrl().toString().replaceAll("/+$", "");
        this.conditional = new ConditionalRequests(settings.cacheMaxBytes());
        RateLimits limits = new RateLimits(clock);
        this.http = base.newBuilder()
                .cache(null)
                .addInterceptor(new CallPolicy(settings, limits, registry))
                .addInterceptor(conditional)
                .addNetworkInterceptor(new ApiCallMeter(limits, registry))
                .connectTimeout(settings.readTimeout())
                .readTimeout(settings.readTimeout())
                .writeTimeout(settings.readTimeout())
                .callTimeout(settings.callTimeout())
                // CallPolicy is the one place that retries, so attempts are counted and bounded.
                .retryOnConnectionFailure(false)
                .build();
        this.json = new JsonCalls(http, HttpUrl.get(endpoint), MAPPER);
        if (settings.credentials() instanceof GitHubCredentials.App a) {
            this.app = Optional.of(new AppClients(a));
            this.tokenAuthorization = Optional.empty();
            this.tokenClient = Optional.empty();
        } else {
            String token = ((GitHubCredentials.PersonalToken) settings.credentials()).token();
            // Not ImmutableAuthorizationProvider.fromOauthToken: hub4j 1.330's GitHub
            // constructor wraps such a provider in LoginLoadingUserAuthorizationProvider
            // (GitHub.java), which reads GET /user before the first call, one more request
            // for a reader; ownLogin() asks only when a write needs it.
            AuthorizationProvider auth = () -> "token " + token;
            this.app = Optional.empty();
            this.tokenAuthorization = Optional.of(auth);
            this.tokenClient = Optional.of(client(auth));
        }
    }

    /**
     * Connects (no request is made yet). {@code base} is the process's shared OkHttp client; a
     * derived client with the interceptors is used, sharing its connection pool.
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
        AuthorizationProvider provider = app.get().installation(repo, true).provider();
        return call("create an installation token for " + repo,
                provider::getEncodedAuthorization);
    }

    /** The {@code Authorization} header for calls about organisation {@code org}. */
    String authorizationForOrg(String org) throws GitHubException {
        if (app.isEmpty()) {
            return tokenAuthorization();
        }
        AuthorizationProvider provider = app.get().installation(org, false).provider();
        return call("create an installation token for " + org,
                provider::getEncodedAuthorization);
    }

    private String tokenAuthorization() throws GitHubException {
        return call("use the GitHub token", () -> tokenAuthorization.get()
                .getEncodedAuthorization());
    }

    /**
     * The login GitHub shows as the author of what Tidegate writes: the token's user
     * ({@code GET /user}, hub4j's {@code getMyself}), or for a GitHub App its bot,
     * {@code <slug>[bot]} ({@code GET /app} with the App's JWT; GitHub names an App's bot user
     * so). Asked once, then kept; a failure is not kept, so the next call asks again.
     */
    String ownLogin() throws GitHubException {
        String known = ownLogin;
        if (known != null) {
            return known;
        }
        String login;
        if (app.isPresent()) {
            String what = "read the GitHub App's own slug";
            String slug = app.get().app().getSlug();
            if (slug == null || slug.isBlank()) {
                throw new GitHubException(what, GitHubException.Failure.BAD_RESPONSE,
                        "field 'slug' is missing or not a string", null);
            }
            login = slug + "[bot]";
        } else {
            String what = "read the token's own GitHub user";
            login = call(what, () -> tokenClient.get().getMyself().getLogin());
            if (login == null || login.isBlank()) {
                throw new GitHubException(what, GitHubException.Failure.BAD_RESPONSE,
                        "field 'login' is missing or not a string", null);
            }
        }
        ownLogin = login;
        return login;
    }

    /**
     * hub4j's view of {@code repo} ({@code GET /repos/{owner}/{repo}}). Kept for the process's
     * life: the object only names the repository (its URL for the calls hung off it), and
     * reading it again would cost a request per use.
     */
    GHRepository repository(String repo) throws GitHubException {
        return repository(repo, "read repository " + repo);
    }

    /** {@link #repository(String)}, failing as part of {@code what} it was read for. */
    GHRepository repository(String repo, String what) throws GitHubException {
        GHRepository known = repositories.get(repo);
        if (known != null) {
            return known;
        }
        GitHub client = tokenClient.isPresent() ? tokenClient.get()
                : app.get().installation(repo, true).client();
        GHRepository fresh = call(what, () -> client.getRepository(repo));
        repositories.put(repo, fresh);
        return fresh;
    }

    private GitHub client(AuthorizationProvider authorization) throws IOException {
        return new GitHubBuilder()
                .withEndpoint(endpoint)
                .withConnector(new OkHttpGitHubConnector(http))
                .withAuthorizationProvider(authorization)
                // CallPolicy already waited when waiting was short; hub4j must not wait an hour.
                .withRateLimitHandler(GitHubRateLimitHandler.FAIL)
                .withAbuseLimitHandler(GitHubAbuseLimitHandler.FAIL)
                .build();
    }

    /** One installation of the App: its hub4j client and the provider of its tokens. */
    private record Installation(GitHub client, AuthorizationProvider provider) {}

    /**
     * A GitHub App's clients. hub4j 1.330's {@code AppInstallationAuthorizationProvider}
     * ({@code authorization/AppInstallationAuthorizationProvider.java}) asks its
     * {@code AppInstallationProvider} for the installation at each renewal, after
     * {@code GET /app}; the installation is looked up once per repository or organisation here
     * ({@code GET /repos/{o}/{r}/installation}, {@code GET /orgs/{org}/installation}) or, when
     * configured, once by id ({@code GET /app/installations/{id}}), and handed back after.
     * Renewal then costs {@code GET /app} (a 304 after the first: {@link ConditionalRequests})
     * and {@code POST /app/installations/{id}/access_tokens}.
     */
    private final class AppClients {
        private final GitHubCredentials.App credentials;
        private final GitHub appClient;
        private final AuthorizationProvider jwt;
        /** Key: {@code repo:owner/name} or {@code org:name}. */
        private final Map<String, GHAppInstallation> installations = new ConcurrentHashMap<>();
        private final Map<Long, Installation> clients = new ConcurrentHashMap<>();
        private volatile GHApp app;

        AppClients(GitHubCredentials.App credentials) throws IOException {
            this.credentials = credentials;
            try {
                String pem = Files.readString(credentials.privateKeyFile(),
                        StandardCharsets.US_ASCII);
                // hub4j's JWTTokenProvider reads PKCS#8 only and refuses the PKCS#1 key GitHub
                // hands out ("Private key must be a PKCS#8 formatted string"): PrivateKeys
                // reads both, and the provider takes the key.
                this.jwt = new JWTTokenProvider(Long.toString(credentials.appId()),
                        PrivateKeys.fromPem(pem));
            } catch (java.nio.file.NoSuchFileException e) {
                throw new PrivateKeyException(credentials.privateKeyFile(), "no such file", e);
            } catch (GeneralSecurityException | IOException e) {
                throw new PrivateKeyException(credentials.privateKeyFile(), e.getMessage(), e);
            }
            this.appClient = client(jwt);
        }

        /** The App itself ({@code GET /app} with its JWT), read once. */
        GHApp app() throws GitHubException {
            GHApp known = app;
            if (known == null) {
                known = call("read the GitHub App", appClient::getApp);
                app = known;
            }
            return known;
        }

        /** The installation covering repository ({@code isRepo}) or organisation {@code target}. */
        Installation installation(String target, boolean isRepo) throws GitHubException {
            GHAppInstallation found = credentials.installationId().isPresent()
                    ? configured(credentials.installationId().get())
                    : lookUp(target, isRepo);
            Installation known = clients.get(found.getId());
            if (known != null) {
                return known;
            }
            AuthorizationProvider provider = new AppInstallationAuthorizationProvider(
                    ignoredApp -> found, jwt);
            Installation fresh = new Installation(call("connect as installation "
                    + found.getId(), () -> client(provider)), provider);
            Installation raced = clients.putIfAbsent(found.getId(), fresh);
            return raced == null ? fresh : raced;
        }

        private GHAppInstallation configured(long id) throws GitHubException {
            String key = "id:" + id;
            GHAppInstallation known = installations.get(key);
            if (known != null) {
                return known;
            }
            GHApp a = app();
            GHAppInstallation fresh = call("read GitHub App installation " + id,
                    () -> a.getInstallationById(id));
            installations.put(key, fresh);
            return fresh;
        }

        private GHAppInstallation lookUp(String target, boolean isRepo) throws GitHubException {
            String key = (isRepo ? "repo:" : "org:") + target;
            GHAppInstallation known = installations.get(key);
            if (known != null) {
                return known;
            }
            String what = "find the GitHub App installation for " + target;
            GHApp a = app();
            GHAppInstallation fresh;
            try {
                fresh = call(what, () -> isRepo
                        ? a.getInstallationByRepository(target.substring(0, target.indexOf('/')),
                                target.substring(target.indexOf('/') + 1))
                        : a.getInstallationByOrganization(target));
            } catch (GitHubException e) {
                if (e.failure() != GitHubException.Failure.NOT_FOUND) {
                    throw e;
                }
                throw new GitHubException(what, GitHubException.Failure.NOT_FOUND, "GitHub App "
                        + credentials.appId() + " is not installed on " + target, null);
            }
            installations.put(key, fresh);
            return fresh;
        }
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
                    "HTTP " + h.getResponseCode() + messageOf(h), e);
        }
        CallFailure f = CallPolicy.failure(e);
        return new GitHubException(what, f.failure(), f.getMessage(), e);
    }

    /**
     * GitHub's {@code message}, to say more than a status code. hub4j puts an error's body in
     * the exception's message ({@code GitHubClient#interpretApiError}, 1.330); only the
     * {@code message} field of it goes on, as a short, redacted excerpt.
     */
    private static String messageOf(HttpException h) {
        String body = h.getMessage();
        if (body == null || !body.startsWith("{")) {
            return "";
        }
        try {
            JsonNode m = MAPPER.readTree(body).get("message");
            return m != null && m.isTextual() ? ": " + excerpt(m.textValue()) : "";
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    /** At most 200 characters of an upstream text, with credentials masked as in the logs. */
    private static String excerpt(String upstream) {
        String redacted = io.tidegate.logging.SecretRedactor.redact(upstream);
        return redacted.length() <= 200 ? redacted : redacted.substring(0, 199) + "…";
    }

    private static GitHubException.Failure failureOf(int status) {
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
    public void close() {
        conditional.clear();
        json.clear();
    }
}
