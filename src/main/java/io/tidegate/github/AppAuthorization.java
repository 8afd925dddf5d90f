package io.tidegate.github;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Date;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.JsonNode;
import io.jsonwebtoken.Jwts;

/**
 * GitHub App authentication: a JWT signed with the app's key (valid 9 minutes, issued a minute in
 * the past against clock drift, as GitHub recommends), exchanged for installation tokens
 * ({@code POST /app/installations/{id}/access_tokens}) that are renewed five minutes before they
 * expire (https://docs.github.com/en/apps/creating-github-apps/authenticating-with-a-github-app).
 * Without a configured installation id, the installation of each repository is looked up once
 * ({@code GET /repos/{owner}/{repo}/installation}). Thread-safe; tokens are never logged.
 */
final class AppAuthorization {
    static final Duration JWT_LIFETIME = Duration.ofMinutes(9);
    static final Duration RENEW_BEFORE_EXPIRY = Duration.ofMinutes(5);

    private record Token(String value, Instant expiresAt) {}

    private final GitHubCredentials.App app;
    private final PrivateKey key;
    private final Clock clock;
    private final JsonCalls json;
    private final Map<String, Long> installations = new ConcurrentHashMap<>();
    private final Map<Long, Token> tokens = new ConcurrentHashMap<>();
    private Token jwt;

    AppAuthorization(GitHubCredentials.App app, Clock clock, JsonCalls json) throws IOException {
        this.app = Objects.requireNonNull(app, "app == null");
        this.clock = Objects.requireNonNull(clock, "clock == null");
        this.json = Objects.requireNonNull(json, "json == null");
        try {
            String pem = Files.readString(app.privateKeyFile(), StandardCharsets.US_ASCII);
            this.key = PrivateKeys.fromPem(pem);
        } catch (GeneralSecurityException | IOException e) {
            throw new IOException("GitHub App private key " + app.privateKeyFile()
                    + " cannot be read: " + e.getMessage(), e);
        }
    }

    /** The installation that covers {@code repo} ({@code owner/name}). */
    long installationForRepo(String repo) throws GitHubException {
        return installation("/repos/" + repo + "/installation", repo);
    }

    /** The installation on organisation {@code org} (for team memberships). */
    long installationForOrg(String org) throws GitHubException {
        return installation("/orgs/" + org + "/installation", org);
    }

    private long installation(String path, String target) throws GitHubException {
        if (app.installationId().isPresent()) {
            return app.installationId().get();
        }
        Long known = installations.get(path);
        if (known != null) {
            return known;
        }
        String what = "find the GitHub App installation for " + target;
        JsonNode body = json.get(path, bearer(), what)
                .orElseThrow(() -> new GitHubException(what, GitHubException.Failure.NOT_FOUND,
                        "GitHub App " + app.appId() + " is not installed on " + target, null));
        long id = JsonCalls.positiveLong(body, "id", what);
        installations.put(path, id);
        return id;
    }

    /** {@code Authorization} header value for an installation, renewing its token if due. */
    String authorization(long installationId) throws GitHubException {
        Token token = tokens.get(installationId);
        if (token == null || isDue(token)) {
            token = renew(installationId);
        }
        return "token " + token.value();
    }

    private synchronized Token renew(long installationId) throws GitHubException {
        Token token = tokens.get(installationId);
        if (token != null && !isDue(token)) {
            return token; // another thread renewed it while we waited
        }
        String what = "create an installation token for installation " + installationId;
        JsonNode body = json.post("/app/installations/" + installationId + "/access_tokens",
                bearer(), "{}", what);
        token = new Token(JsonCalls.text(body, "token", what), expiry(body, what));
        tokens.put(installationId, token);
        return token;
    }

    private boolean isDue(Token token) {
        return !clock.instant().isBefore(token.expiresAt().minus(RENEW_BEFORE_EXPIRY));
    }

    private static Instant expiry(JsonNode body, String what) throws GitHubException {
        String text = JsonCalls.text(body, "expires_at", what);
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new GitHubException(what, GitHubException.Failure.BAD_RESPONSE,
                    "expires_at is not a time: " + text, e);
        }
    }

    /** {@code Bearer <JWT>}, reusing the JWT until a minute before it expires. */
    synchronized String bearer() {
        Instant now = clock.instant();
        if (jwt == null || !now.isBefore(jwt.expiresAt().minus(Duration.ofMinutes(1)))) {
            Instant expires = now.plus(JWT_LIFETIME);
            String value = Jwts.builder()
                    .issuer(Long.toString(app.appId()))
                    .issuedAt(Date.from(now.minusSeconds(60)))
                    .expiration(Date.from(expires))
                    .signWith(key, Jwts.SIG.RS256)
                    .compact();
            jwt = new Token(value, expires);
        }
        return "Bearer " + jwt.value();
    }
}
