package io.tidegate.github;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.tidegate.github.GitHubStub.SHA;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.jsonwebtoken.Claims;
import io.jsonwebtoken.Jwts;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * GitHub App authentication through hub4j ({@code JWTTokenProvider},
 * {@code AppInstallationAuthorizationProvider}, 1.330): JWTs signed with the App's key (PKCS#1
 * as GitHub hands it out), installations looked up once, installation tokens used for every call
 * and renewed within five minutes of expiry. hub4j times tokens by the system clock, so expiry
 * times here are real ones.
 */
class GitHubAppAuthenticationTest {
    private static final long APP_ID = 12345;
    private static final String TOKEN_1 = "ghs_firstInstallationToken0123456789";
    private static final String TOKEN_2 = "ghs_secondInstallationToken012345678";
    private static KeyPair keys;

    @TempDir
    Path dir;
    private GitHubStub stub;
    private GitHubApi api;

    @BeforeAll
    static void generateKey() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        keys = g.generateKeyPair();
    }

    @BeforeEach
    void start() {
        stub = new GitHubStub();
        stub.repository("acme/infra");
        stub.cachedGet("/repos/acme/infra/pulls/7", "\"etag-pr\"",
                stub.pullRequestJson("acme/infra", 7, SHA, "acme/infra"));
        stub.reviews("acme/infra", 7, List.of(), List.of());
    }

    @AfterEach
    void stop() throws Exception {
        if (api != null) {
            api.close();
        }
        stub.close();
    }

    /** The key as GitHub hands it out: PKCS#1, "BEGIN RSA PRIVATE KEY". */
    private Path pkcs1KeyFile() throws Exception {
        byte[] pkcs8 = keys.getPrivate().getEncoded();
        // A 2048-bit PKCS#8 RSA key is a 26-byte header around the PKCS#1 structure.
        byte[] pkcs1 = Arrays.copyOfRange(pkcs8, 26, pkcs8.length);
        assertThat(pkcs1[0]).isEqualTo((byte) 0x30);
        Path file = dir.resolve("app.pem");
        Files.writeString(file, "-----BEGIN RSA PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(pkcs1)
                + "\n-----END RSA PRIVATE KEY-----\n");
        return file;
    }

    /** The first token expires at {@code firstExpiry} (real time), the second in two hours. */
    private void tokenResponses(Instant firstExpiry) {
        String expires2 = Instant.now().plus(Duration.ofHours(2)).toString();
        stub.wm.stubFor(post(urlEqualTo("/app/installations/42/access_tokens"))
                .inScenario("tokens").whenScenarioStateIs("Started")
                .willReturn(stub.github(201).withBody("{\"token\":\"" + TOKEN_1
                        + "\",\"expires_at\":\"" + firstExpiry + "\"}"))
                .willSetStateTo("second"));
        stub.wm.stubFor(post(urlEqualTo("/app/installations/42/access_tokens"))
                .inScenario("tokens").whenScenarioStateIs("second")
                .willReturn(stub.github(201).withBody("{\"token\":\"" + TOKEN_2
                        + "\",\"expires_at\":\"" + expires2 + "\"}")));
    }

    /** GET /app as GitHub answers it to the App's JWT (rest-api-description: integration). */
    private void app() {
        stub.cachedGet("/app", "\"app\"", "{\"id\":" + APP_ID + ",\"slug\":\"tidegate\","
                + "\"name\":\"Tidegate\",\"owner\":{\"login\":\"acme\",\"id\":1}}");
    }

    /** A JWT hub4j signed: ours, for the App, valid ten minutes from two minutes back. */
    private Claims verifiedJwt(LoggedRequest request) {
        String header = request.getHeader("Authorization");
        assertThat(header).startsWith("Bearer ");
        return Jwts.parser().verifyWith(keys.getPublic()).build()
                .parseSignedClaims(header.substring("Bearer ".length())).getPayload();
    }

    @Test
    void looksUpTheInstallationOnceThenUsesItsTokenForEveryCall() throws Exception {
        app();
        stub.wm.stubFor(get(urlEqualTo("/repos/acme/infra/installation"))
                .willReturn(stub.github(200).withBody("{\"id\":42,\"app_id\":12345}")));
        tokenResponses(Instant.now().plus(Duration.ofHours(1)));
        api = stub.connect(stub.settings(
                new GitHubCredentials.App(APP_ID, pkcs1KeyFile(), Optional.empty())));
        GitHubPullRequests prs = new GitHubPullRequests(api, stub.clock);

        prs.facts("acme/infra", 7);
        assertThat(stub.journal()).containsExactly("GET /app",
                "GET /repos/acme/infra/installation",
                "GET /app", // hub4j's renewal reads the App first: answered 304
                "POST /app/installations/42/access_tokens",
                "GET /repos/acme/infra/pulls/7",
                "GET /repos/acme/infra/pulls/7/reviews?per_page=100",
                "GET /repos/acme/infra/pulls/7/reviews?per_page=100&page=2");
        List<LoggedRequest> first = stub.requests();
        for (LoggedRequest r : first.subList(0, 4)) {
            Claims claims = verifiedJwt(r);
            assertThat(claims.getIssuer()).isEqualTo("12345");
            assertThat(Duration.between(claims.getIssuedAt().toInstant(),
                    claims.getExpiration().toInstant())).isEqualTo(Duration.ofMinutes(10));
        }
        assertThat(first.get(2).getHeader("If-None-Match")).isEqualTo("\"app\"");
        assertThat(first.subList(4, 7)).allSatisfy(r ->
                assertThat(r.getHeader("Authorization")).isEqualTo("token " + TOKEN_1));

        // An hour on the token is more than 5 minutes: reused, nothing looked up again.
        stub.wm.resetRequests();
        prs.facts("acme/infra", 7);
        assertThat(stub.journal()).containsExactly("GET /repos/acme/infra/pulls/7",
                "GET /repos/acme/infra/pulls/7/reviews?per_page=100",
                "GET /repos/acme/infra/pulls/7/reviews?per_page=100&page=2");
        assertThat(stub.requests()).allSatisfy(r ->
                assertThat(r.getHeader("Authorization")).isEqualTo("token " + TOKEN_1));
    }

    @Test
    void tokenWithinFiveMinutesOfExpiryIsRenewedBeforeItsNextUse() throws Exception {
        app();
        tokenResponses(Instant.now().plus(Duration.ofMinutes(4)));
        api = stub.connect(stub.settings(
                new GitHubCredentials.App(APP_ID, pkcs1KeyFile(), Optional.of(42L))));
        stub.cachedGet("/app/installations/42", "\"i\"", "{\"id\":42,\"app_id\":12345}");
        new GitHubPullRequests(api, stub.clock).facts("acme/infra", 7);

        // The first token serves the call it was made for, then is renewed before the next.
        assertThat(stub.journal()).containsExactly("GET /app", "GET /app/installations/42",
                "GET /app", "POST /app/installations/42/access_tokens",
                "GET /repos/acme/infra/pulls/7",
                "GET /app", "POST /app/installations/42/access_tokens",
                "GET /repos/acme/infra/pulls/7/reviews?per_page=100",
                "GET /repos/acme/infra/pulls/7/reviews?per_page=100&page=2");
        List<LoggedRequest> all = stub.requests();
        assertThat(all.get(4).getHeader("Authorization")).isEqualTo("token " + TOKEN_1);
        verifiedJwt(all.get(6));
        assertThat(all.subList(7, all.size())).allSatisfy(r ->
                assertThat(r.getHeader("Authorization")).isEqualTo("token " + TOKEN_2));
    }

    @Test
    void configuredInstallationIsReadByIdNeverLookedUpPerRepository() throws Exception {
        app();
        stub.cachedGet("/app/installations/42", "\"i\"", "{\"id\":42,\"app_id\":12345}");
        tokenResponses(Instant.now().plus(Duration.ofHours(1)));
        api = stub.connect(stub.settings(
                new GitHubCredentials.App(APP_ID, pkcs1KeyFile(), Optional.of(42L))));
        new GitHubPullRequests(api, stub.clock).facts("acme/infra", 7);
        assertThat(stub.journal()).startsWith("GET /app", "GET /app/installations/42", "GET /app",
                "POST /app/installations/42/access_tokens");
        assertThat(stub.journal()).noneMatch(l -> l.endsWith("/installation"));
    }

    @Test
    void appNotInstalledOnTheRepositoryIsNotFound() throws Exception {
        app();
        stub.wm.stubFor(get(urlEqualTo("/repos/acme/infra/installation"))
                .willReturn(stub.github(404).withBody("{\"message\":\"Not Found\"}")));
        api = stub.connect(stub.settings(
                new GitHubCredentials.App(APP_ID, pkcs1KeyFile(), Optional.empty())));
        assertThatThrownBy(() -> new GitHubPullRequests(api, stub.clock).facts("acme/infra", 7))
                .isInstanceOfSatisfying(GitHubException.class, e -> {
                    assertThat(e.failure()).isEqualTo(GitHubException.Failure.NOT_FOUND);
                    assertThat(e.getMessage()).isEqualTo("could not find the GitHub App "
                            + "installation for acme/infra: GitHub App 12345 is not installed "
                            + "on acme/infra");
                });
    }

    @Test
    void teamMembershipsUseTheOrganisationsInstallation() throws Exception {
        app();
        stub.wm.stubFor(get(urlEqualTo("/orgs/acme/installation"))
                .willReturn(stub.github(200).withBody("{\"id\":42}")));
        tokenResponses(Instant.now().plus(Duration.ofHours(1)));
        stub.cachedGet("/orgs/acme/teams/cto/memberships/bob", "\"m\"", "{\"state\":\"active\"}");
        api = stub.connect(stub.settings(
                new GitHubCredentials.App(APP_ID, pkcs1KeyFile(), Optional.empty())));
        assertThat(new GitHubPullRequests(api, stub.clock)
                .teams(Set.of("bob"), Set.of("acme/cto")))
                .isEqualTo(Map.of("bob", Set.of("acme/cto")));
        assertThat(stub.journal()).containsExactly("GET /app", "GET /orgs/acme/installation",
                "GET /app", "POST /app/installations/42/access_tokens",
                "GET /orgs/acme/teams/cto/memberships/bob");
        assertThat(stub.requests().get(4).getHeader("Authorization"))
                .isEqualTo("token " + TOKEN_1);
    }

    @Test
    void theAppsOwnLoginIsItsBot() throws Exception {
        app();
        api = stub.connect(stub.settings(
                new GitHubCredentials.App(APP_ID, pkcs1KeyFile(), Optional.of(42L))));
        assertThat(api.ownLogin()).isEqualTo("tidegate[bot]");
        assertThat(api.ownLogin()).isEqualTo("tidegate[bot]");
        assertThat(stub.journal()).containsExactly("GET /app");
    }

    @Test
    void installationTokensNeverReachAnErrorText() throws Exception {
        app();
        stub.cachedGet("/app/installations/42", "\"i\"", "{\"id\":42,\"app_id\":12345}");
        tokenResponses(Instant.now().plus(Duration.ofHours(1)));
        stub.wm.stubFor(get(urlEqualTo("/repos/acme/infra/pulls/7")).atPriority(0)
                .willReturn(stub.github(401).withBody("{\"message\":\"Bad credentials: "
                        + TOKEN_1 + "\"}")));
        api = stub.connect(stub.settings(
                new GitHubCredentials.App(APP_ID, pkcs1KeyFile(), Optional.of(42L))));
        assertThatThrownBy(() -> new GitHubPullRequests(api, stub.clock).facts("acme/infra", 7))
                .isInstanceOfSatisfying(GitHubException.class, e -> {
                    assertThat(e.failure()).isEqualTo(GitHubException.Failure.UNAUTHORIZED);
                    assertThat(e.getMessage()).doesNotContain(TOKEN_1)
                            .startsWith("could not read pull request acme/infra#7: HTTP 401");
                });
    }

    @Test
    void unreadableKeyIsReportedWithItsPath() throws Exception {
        Path bad = dir.resolve("bad.pem");
        Files.writeString(bad, "not a key");
        assertThatThrownBy(() -> stub.connect(stub.settings(
                new GitHubCredentials.App(APP_ID, bad, Optional.empty()))))
                .isInstanceOf(PrivateKeyException.class)
                .hasMessageStartingWith("GITHUB_APP_PRIVATE_KEY_FILE=" + bad + ": the GitHub App's"
                        + " private key cannot be read: not a PEM RSA private key")
                .hasMessageNotContaining("not a key");
    }

    @Test
    void pkcs8KeysAreReadToo() throws Exception {
        String pem = "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder().encodeToString(keys.getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
        assertThat(PrivateKeys.fromPem(pem)).isEqualTo(keys.getPrivate());
        assertThat(PrivateKeys.fromPem(Files.readString(pkcs1KeyFile())))
                .isEqualTo(keys.getPrivate());
    }

    @Test
    void credentialsNeverPrintTheToken() {
        assertThat(new GitHubCredentials.PersonalToken("ghp_secret").toString())
                .isEqualTo("PersonalToken[****]");
    }
}
