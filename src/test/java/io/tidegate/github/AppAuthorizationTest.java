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
import java.util.Arrays;
import java.util.Base64;
import java.util.Date;
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

class AppAuthorizationTest {
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

    private void tokenResponses() {
        String expires1 = stub.clock.instant().plus(Duration.ofHours(1)).toString();
        String expires2 = stub.clock.instant().plus(Duration.ofHours(2)).toString();
        stub.wm.stubFor(post(urlEqualTo("/app/installations/42/access_tokens"))
                .inScenario("tokens").whenScenarioStateIs("Started")
                .willReturn(stub.github(201).withBody("{\"token\":\"" + TOKEN_1
                        + "\",\"expires_at\":\"" + expires1 + "\"}"))
                .willSetStateTo("second"));
        stub.wm.stubFor(post(urlEqualTo("/app/installations/42/access_tokens"))
                .inScenario("tokens").whenScenarioStateIs("second")
                .willReturn(stub.github(201).withBody("{\"token\":\"" + TOKEN_2
                        + "\",\"expires_at\":\"" + expires2 + "\"}")));
    }

    private Claims verifiedJwt(LoggedRequest request) {
        String header = request.getHeader("Authorization");
        assertThat(header).startsWith("Bearer ");
        return Jwts.parser().verifyWith(keys.getPublic())
                .clock(() -> Date.from(stub.clock.instant())).build()
                .parseSignedClaims(header.substring("Bearer ".length())).getPayload();
    }

    @Test
    void looksUpTheInstallationThenUsesItsTokenAndRenewsItBeforeExpiry() throws Exception {
        stub.wm.stubFor(get(urlEqualTo("/repos/acme/infra/installation"))
                .willReturn(stub.github(200).withBody("{\"id\":42,\"app_id\":12345}")));
        tokenResponses();
        api = stub.connect(stub.settings(
                new GitHubCredentials.App(APP_ID, pkcs1KeyFile(), Optional.empty())));
        GitHubPullRequests prs = new GitHubPullRequests(api, stub.clock);

        prs.facts("acme/infra", 7);
        assertThat(stub.journal()).containsExactly("GET /repos/acme/infra/installation",
                "POST /app/installations/42/access_tokens",
                "GET /repos/acme/infra/pulls/7",
                "GET /repos/acme/infra/pulls/7/reviews?per_page=100",
                "GET /repos/acme/infra/pulls/7/reviews?per_page=100&page=2");
        List<LoggedRequest> first = stub.requests();
        Claims claims = verifiedJwt(first.get(0));
        assertThat(claims.getIssuer()).isEqualTo("12345");
        assertThat(claims.getIssuedAt().toInstant())
                .isEqualTo(stub.clock.instant().minusSeconds(60));
        assertThat(claims.getExpiration().toInstant())
                .isEqualTo(stub.clock.instant().plus(Duration.ofMinutes(9)));
        verifiedJwt(first.get(1));
        assertThat(first.subList(2, 5)).allSatisfy(r ->
                assertThat(r.getHeader("Authorization")).isEqualTo("token " + TOKEN_1));

        // 54 minutes on the token is still valid for more than 5 minutes: reused.
        stub.clock.advance(Duration.ofMinutes(54));
        stub.wm.resetRequests();
        prs.facts("acme/infra", 7);
        assertThat(stub.journal()).noneMatch(l -> l.contains("access_tokens")
                || l.contains("installation"));

        // 56 minutes: within 5 minutes of expiry, renewed before use.
        stub.clock.advance(Duration.ofMinutes(2));
        stub.wm.resetRequests();
        prs.facts("acme/infra", 7);
        List<LoggedRequest> later = stub.requests();
        assertThat(stub.journal().get(0)).isEqualTo("POST /app/installations/42/access_tokens");
        verifiedJwt(later.get(0));
        assertThat(later.subList(1, later.size())).allSatisfy(r ->
                assertThat(r.getHeader("Authorization")).isEqualTo("token " + TOKEN_2));
    }

    @Test
    void configuredInstallationNeedsNoLookup() throws Exception {
        tokenResponses();
        api = stub.connect(stub.settings(
                new GitHubCredentials.App(APP_ID, pkcs1KeyFile(), Optional.of(42L))));
        new GitHubPullRequests(api, stub.clock).facts("acme/infra", 7);
        assertThat(stub.journal().get(0)).isEqualTo("POST /app/installations/42/access_tokens");
        assertThat(stub.journal()).noneMatch(l -> l.endsWith("/installation"));
    }

    @Test
    void appNotInstalledOnTheRepositoryIsNotFound() throws Exception {
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
        stub.wm.stubFor(get(urlEqualTo("/orgs/acme/installation"))
                .willReturn(stub.github(200).withBody("{\"id\":42}")));
        tokenResponses();
        stub.cachedGet("/orgs/acme/teams/cto/memberships/bob", "\"m\"", "{\"state\":\"active\"}");
        api = stub.connect(stub.settings(
                new GitHubCredentials.App(APP_ID, pkcs1KeyFile(), Optional.empty())));
        assertThat(new GitHubPullRequests(api, stub.clock)
                .teams(Set.of("bob"), Set.of("acme/cto")))
                .isEqualTo(Map.of("bob", Set.of("acme/cto")));
        assertThat(stub.journal()).containsExactly("GET /orgs/acme/installation",
                "POST /app/installations/42/access_tokens",
                "GET /orgs/acme/teams/cto/memberships/bob");
    }

    @Test
    void unreadableKeyIsReportedWithItsPath() throws Exception {
        Path bad = dir.resolve("bad.pem");
        Files.writeString(bad, "not a key");
        assertThatThrownBy(() -> stub.connect(stub.settings(
                new GitHubCredentials.App(APP_ID, bad, Optional.empty()))))
                .hasMessageStartingWith("GitHub App private key " + bad + " cannot be read: "
                        + "not a PEM RSA private key");
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
