package io.tidegate;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.tidegate.atlantis.AtlantisPayloads;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import io.tidegate.wiring.Config;
import io.tidegate.wiring.Server;

/**
 * Issue 17 §2 end to end over HTTP under the default policy with production's
 * {@code promotion: { after: staging, same: tree, soak: 1h }} enforced: the real hook script gates and
 * Atlantis reports a staging apply of PR 41 (base {@code staging}); production PR 42, whose head
 * commit has the same Git tree, is denied {@code promotion-soaking} until an hour after that
 * apply and allowed then; PR 43, another tree, is denied {@code promotion-missing}. GitHub is
 * WireMock ({@link AtlantisGitHub}) answering {@code GET /repos/{o}/{r}/git/commits/{sha}}.
 */
class PromotionEndToEndTest {
    private static final String TOKEN = "tg_e2e_token_0123456789abcdefSECRET";
    private static final String SHA_STAGING = "1111111111111111111111111111111111111111";
    private static final String SHA_42 = "6dcb09b5b57875f334f61aebed695e2e4193db5e";
    private static final String SHA_43 = "e5bd3914e2e596debea16f433f57875b5b90bcd6";
    private static final String TREE_A = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    private static final String TREE_B = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";
    private static final Instant MONDAY_10_KST = Instant.parse("2026-11-23T01:00:00Z");

    @TempDir
    Path dir;

    private WireMockServer github;
    private Server.Running tidegate;
    private final TestClock clock = new TestClock(MONDAY_10_KST);
    private final HttpClient http = HttpClient.newHttpClient();

    record Run(int exit, String output) {}

    @BeforeEach
    void start() throws Exception {
        github = AtlantisGitHub.start(SHA_42, SHA_43);
        stagingPullRequest(41, SHA_STAGING);
        commit(SHA_STAGING, TREE_A);
        commit(SHA_42, TREE_A);
        commit(SHA_43, TREE_B);
        // The default policy with its production promotion line switched on.
        String text = Files.readString(Path.of("policies/policy.yaml"));
        String off = "# promotion: { after: staging, same: tree, soak: 1h }";
        assertThat(text).contains(off);
        Path policy = Files.writeString(dir.resolve("policy.yaml"), text.replace(off,
                "promotion: { after: staging, same: tree, soak: 1h }"));
        tidegate = Server.start(Config.from(Map.of(
                "TIDEGATE_BIND_ADDRESS", "127.0.0.1",
                "TIDEGATE_PORT", "0",
                "TIDEGATE_API_TOKEN", TOKEN,
                "TIDEGATE_DATA_DIR", dir.resolve("data").toString(),
                "TIDEGATE_POLICY", policy.toString(),
                "GITHUB_TOKEN", "ghp_e2eToken0123456789abcdefABCDEF",
                "TIDEGATE_DRY_RUN", "true",
                "GITHUB_API_URL", "http://127.0.0.1:" + github.port())), clock);
    }

    @AfterEach
    void stop() {
        if (tidegate != null) {
            tidegate.close();
        }
        github.stop();
    }

    /** GitHub's git-commit schema (rest-api-description): {@code tree: {sha, url}}. */
    private void commit(String sha, String tree) {
        github.stubFor(get(urlEqualTo("/repos/acme/infra/git/commits/" + sha)).willReturn(
                aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withHeader("ETag", "\"c-" + sha + "\"")
                        .withBody("{\"sha\":\"" + sha + "\",\"tree\":{\"sha\":\"" + tree
                                + "\",\"url\":\"https://api.github.com/repos/acme/infra/git/"
                                + "trees/" + tree + "\"},\"message\":\"Promote\","
                                + "\"parents\":[]}")));
    }

    /**
     * A PR into {@code staging}, approved by lead1 at its head at 10:05 KST, labelled
     * cost-reviewed.
     */
    private void stagingPullRequest(int number, String sha) {
        String repo = "{\"full_name\":\"acme/infra\",\"name\":\"infra\","
                + "\"owner\":{\"login\":\"acme\"}}";
        github.stubFor(get(urlEqualTo("/repos/acme/infra/pulls/" + number)).willReturn(
                aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withBody("{\"number\":" + number + ",\"state\":\"open\",\"title\":"
                                + "\"Staging\",\"body\":\"## Rollback plan\\n\\nRevert.\","
                                + "\"draft\":false,\"mergeable_state\":\"clean\",\"user\":{\"login\":\"dev1\",\"id\":11},"
                                + "\"labels\":[{\"id\":1,\"name\":\"cost-reviewed\"}],"
                                + "\"head\":{\"ref\":\"feature/infra-" + number + "\",\"sha\":\""
                                + sha + "\",\"repo\":" + repo + "},\"base\":{\"ref\":\"staging\","
                                + "\"sha\":\"0000000000000000000000000000000000000000\","
                                + "\"repo\":" + repo + "}}")));
        github.stubFor(get(urlPathEqualTo("/repos/acme/infra/pulls/" + number + "/reviews"))
                .willReturn(aResponse().withStatus(200)
                        .withHeader("Content-Type", "application/json")
                        .withBody("[{\"id\":7,\"user\":{\"login\":\"lead1\"},\"state\":"
                                + "\"APPROVED\",\"commit_id\":\"" + sha + "\","
                                + "\"submitted_at\":\"2026-11-23T01:05:00Z\"}]")));
    }

    private Run hook(Map<String, String> env, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("sh", "atlantis/tidegate-hook"));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().clear();
        pb.environment().put("PATH", System.getenv("PATH"));
        pb.environment().putAll(env);
        Process p = pb.start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(90, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("tidegate-hook did not finish within 90 s");
        }
        return new Run(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    private Map<String, String> production(int pr, String sha, String user) {
        return AtlantisRunStep.applyProd(pr, sha, user, tidegate.port(), TOKEN);
    }

    private Map<String, String> staging(String user) {
        Map<String, String> env = production(41, SHA_STAGING, user);
        env.put("BASE_BRANCH_NAME", "staging");
        env.put("PROJECT_NAME", "staging-environment");
        env.put("DIR", "/atlantis-data/repos/acme/infra/41/staging/environments/staging");
        env.put("REPO_REL_DIR", "environments/staging");
        env.put("WORKSPACE", "staging");
        return env;
    }

    /** Atlantis's apply webhook for the staging apply (webhooks.ApplyResult). */
    private void stagingApplySucceeded() throws Exception {
        String body = AtlantisPayloads.applyResultJson(new AtlantisPayloads.Apply("acme/infra",
                41, SHA_STAGING, "lead1", true, "environments/staging", "staging",
                "staging-environment", "Promote"));
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + tidegate.port() + "/api/v1/atlantis/apply-result"))
                .header("Authorization", "Bearer " + TOKEN)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isBetween(200, 299);
    }

    private void stagingApplied() throws Exception {
        assertThat(hook(staging("dev1"), "report").exit()).isZero();
        // lead1 approved at 10:05, after the cost was known (an approval counts for it then).
        clock.advance(Duration.ofMinutes(10));
        Run gate = hook(staging("lead1"), "gate", "apply");
        assertThat(gate.exit()).as(gate.output()).isZero();
        stagingApplySucceeded();
    }

    @Test
    void productionWaitsForTheSoakAfterTheSameTreeSucceededInStagingThenIsAllowed()
            throws Exception {
        stagingApplied();
        clock.advance(Duration.ofMinutes(20));
        assertThat(hook(production(42, SHA_42, "dev1"), "report").exit()).isZero();
        AtlantisGitHub.approvedAt(github, 42, SHA_42, clock.instant().plusSeconds(60));
        clock.advance(Duration.ofMinutes(2));

        Run soaking = hook(production(42, SHA_42, "lead1"), "gate", "apply");

        assertThat(soaking.exit()).as(soaking.output()).isNotZero();
        assertThat(soaking.output()).startsWith("TIDEGATE: DENY\n")
                .contains("tree aaaaaaa succeeded in staging at")
                .contains("production needs it to soak 1h there first")
                .doesNotContain("approvals-missing");

        clock.advance(Duration.ofMinutes(39));
        Run allowed = hook(production(42, SHA_42, "lead1"), "gate", "apply");

        assertThat(allowed.exit()).as(allowed.output()).isZero();
        assertThat(allowed.output()).startsWith("TIDEGATE: ALLOW\n");
        // The tree of each commit is read once; the second decision asks GitHub nothing more.
        github.verify(1, getRequestedFor(urlEqualTo("/repos/acme/infra/git/commits/"
                + SHA_42)));
    }

    @Test
    void anotherTreeIsDeniedPromotionMissing() throws Exception {
        stagingApplied();
        clock.advance(Duration.ofHours(2));
        assertThat(hook(production(43, SHA_43, "dev1"), "report").exit()).isZero();

        Run gate = hook(production(43, SHA_43, "lead1"), "gate", "apply");

        assertThat(gate.exit()).as(gate.output()).isNotZero();
        assertThat(gate.output()).startsWith("TIDEGATE: DENY\n")
                .contains("applies only what succeeded in staging first: no successful");
    }
}
