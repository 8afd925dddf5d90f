package io.tidegate;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import io.tidegate.wiring.Config;
import io.tidegate.wiring.Server;

/**
 * An apply whose result Atlantis never reports, through the running server
 * ({@link Server#start(Config, java.time.Clock)}, default {@code policies/policy.yaml}, production
 * lock TTL 30 minutes): WireMock as GitHub ({@link AtlantisGitHub}, PR titles "Add instances")
 * and as Slack (one webhook for every channel). The plan is reported and the gate asked by the
 * real {@code atlantis/tidegate-hook}; apply results are posted as Atlantis's http webhook posts
 * them; the clock is moved by hand and the sweep run through {@link Server.Running}.
 */
@Tag("slow")
class UnreportedApplyEndToEndTest {
    private static final String TOKEN = "tg_e2e_token_0123456789abcdefSECRET";
    private static final String SHA_42 = "6dcb09b5b57875f334f61aebed695e2e4193db5e";
    private static final String SHA_43 = "e5bd3914e2e596debea16f433f57875b5b90bcd6";
    private static final Instant MONDAY_10_KST = Instant.parse("2026-11-23T01:00:00Z");
    private static final String SLACK_HOOK = "/services/T0/B0/all";

    @TempDir
    Path dir;

    private WireMockServer github;
    private WireMockServer slack;
    private Server.Running tidegate;
    private final TestClock clock =
            new TestClock(MONDAY_10_KST);
    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();

    @BeforeEach
    void start() throws Exception {
        github = AtlantisGitHub.start(SHA_42, SHA_43);
        slack = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        slack.start();
        slack.stubFor(post(urlEqualTo(SLACK_HOOK)).willReturn(aResponse().withStatus(200)
                .withBody("ok")));
        tidegate = Server.start(Config.from(Map.of(
                "TIDEGATE_BIND_ADDRESS", "127.0.0.1",
                "TIDEGATE_PORT", "0",
                "TIDEGATE_API_TOKEN", TOKEN,
                "TIDEGATE_DATA_DIR", dir.resolve("data").toString(),
                "TIDEGATE_POLICY", "policies/policy.yaml",
                "GITHUB_TOKEN", "ghp_e2eToken0123456789abcdefABCDEF",
                "TIDEGATE_DRY_RUN", "true",
                "GITHUB_API_URL", "http://127.0.0.1:" + github.port(),
                "SLACK_WEBHOOK_URL", slack.baseUrl() + SLACK_HOOK)), clock);
    }

    @AfterEach
    void stop() {
        if (tidegate != null) {
            tidegate.close();
        }
        github.stop();
        slack.stop();
        // issue 18: every decision this scenario recorded replays the same
        ReplayCheck.everyDecisionReplaysTheSame(dir.resolve("data"));
    }

    // ---- Atlantis and the API ------------------------------------------------------------

    /** What Atlantis sets in a run step of {@code atlantis apply -p prod-environment}. */
    private Map<String, String> atlantis(int pr, String sha, String user) {
        return AtlantisRunStep.applyProd(pr, sha, user, tidegate.port(), TOKEN);
    }

    /** Runs the hook; its exit code, or -1 when it did not finish. */
    private int hook(Map<String, String> env, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("sh", "atlantis/tidegate-hook"));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().clear();
        pb.environment().put("PATH", System.getenv("PATH"));
        pb.environment().putAll(env);
        Process p = pb.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("tidegate-hook did not finish within 60 s: " + out);
        }
        return p.exitValue();
    }

    private void allowedApply(int pr, String sha) throws Exception {
        assertThat(hook(atlantis(pr, sha, "dev1"), "report")).isZero();
        assertThat(hook(atlantis(pr, sha, "lead1"), "gate", "apply")).isZero();
    }

    /** Atlantis's http webhook for an apply, with Go's field names. */
    private HttpResponse<String> applyResult(int pr, String sha, boolean success)
            throws IOException, InterruptedException {
        String body = AtlantisRunStep.applyResultBody(pr, sha, success);
        return http.send(HttpRequest.newBuilder(uri("/api/v1/atlantis/apply-result"))
                .header("Authorization", "Bearer " + TOKEN)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode getJson(String path) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri(path))
                .header("Authorization", "Bearer " + TOKEN).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return json.readTree(r.body());
    }

    private JsonNode onlyDeployment() throws Exception {
        JsonNode all = getJson("/api/v1/deployments?repo=acme/infra").get("deployments");
        assertThat(all).hasSize(1);
        return all.get(0);
    }

    private String metrics() throws Exception {
        return http.send(HttpRequest.newBuilder(uri("/metrics")).GET().build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + tidegate.port() + path);
    }

    /** The Slack message posted with this text in it, once the dispatcher has sent it. */
    private JsonNode slackMessage(String containing) throws Exception {
        Instant until = Instant.now().plus(Poll.PATIENCE);
        while (Instant.now().isBefore(until)) {
            for (LoggedRequest r : slack.findAll(postRequestedFor(urlEqualTo(SLACK_HOOK)))) {
                if (r.getBodyAsString().contains(containing)) {
                    return json.readTree(r.getBodyAsString());
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no Slack message containing '" + containing + "' within " + Poll.PATIENCE.toSeconds() + " s;"
                + " got " + slack.findAll(postRequestedFor(urlEqualTo(SLACK_HOOK))).size());
    }

    // ---- the scenarios -------------------------------------------------------------------

    @Test
    void applyWithoutAResultEndsUnknownOneLockTtlAfterItsStartAndTellsTheOnCall()
            throws Exception {
        allowedApply(42, SHA_42);
        clock.advance(Duration.ofMinutes(29));
        assertThat(tidegate.sweepUnreportedApplies()).isZero();
        assertThat(onlyDeployment().get("result").asText()).isEqualTo("running");

        clock.advance(Duration.ofMinutes(2));
        assertThat(tidegate.sweepUnreportedApplies()).isEqualTo(1);
        assertThat(tidegate.sweepUnreportedApplies()).isZero();

        JsonNode d = onlyDeployment();
        assertThat(d.get("result").asText()).isEqualTo("unknown");
        assertThat(d.get("finishedAt").asText()).isEqualTo("2026-11-23T01:30:00Z");
        assertThat(d.get("durationSeconds").isNull()).isTrue();
        JsonNode stats = getJson("/api/v1/deployments/stats?environment=production&days=7")
                .get("stats");
        assertThat(stats.get("totalDeployments").asInt()).isZero();
        assertThat(stats.get("successfulDeployments").asInt()).isZero();
        assertThat(stats.get("runningDeployments").asInt()).isZero();
        assertThat(stats.get("unknownDeployments").asInt()).isEqualTo(1);
        assertThat(stats.get("successRate").isNull()).isTrue();
        assertThat(metrics()).contains("tidegate_deployments_unreported_total{environment="
                + "\"production\"} 1.0").doesNotContain("tidegate_deployments_total{");
        // policy.yaml routes apply_failed to #incident-response, mentioning the on-call
        JsonNode message = slackMessage("Apply result never arrived");
        assertThat(message.get("channel")).isNull();
        assertThat(message.get("text").asText()).isEqualTo("@devops-oncall Apply result never"
                + " arrived in production: acme/infra#42 Add instances");
        assertThat(message.get("blocks").get(1).get("text").get("text").asText())
                .isEqualTo("@devops-oncall\n*<https://github.com/acme/infra/pull/42|"
                        + "acme/infra#42: Add instances>*");
        // the lock lapsed with its TTL: another pull request may apply now (approved after
        // its plan report, so for the cost it shows)
        assertThat(hook(atlantis(43, SHA_43, "dev1"), "report")).isZero();
        AtlantisGitHub.approvedAt(github, 43, SHA_43, clock.instant());
        assertThat(hook(atlantis(43, SHA_43, "lead1"), "gate", "apply")).isZero();
    }

    @Test
    void resultArrivingAfterTheSweepRecordsTheRealOutcomeAndAnnouncesItWithTheTitle()
            throws Exception {
        allowedApply(42, SHA_42);
        clock.advance(Duration.ofMinutes(31));
        assertThat(tidegate.sweepUnreportedApplies()).isEqualTo(1);
        clock.advance(Duration.ofMinutes(9));

        HttpResponse<String> late = applyResult(42, SHA_42, true);

        assertThat(late.statusCode()).isEqualTo(200);
        // a late result records the outcome; the lapsed lock is not its to release
        assertThat(late.body()).matches("deployment [0-9a-f-]{36} succeeded after 2400s "
                + "\\(result arrived after it was recorded unknown\\)\n");
        JsonNode d = onlyDeployment();
        assertThat(d.get("result").asText()).isEqualTo("succeeded");
        assertThat(d.get("durationSeconds").asLong()).isEqualTo(2400);
        JsonNode stats = getJson("/api/v1/deployments/stats?days=7").get("stats");
        assertThat(stats.get("successfulDeployments").asInt()).isEqualTo(1);
        assertThat(stats.get("unknownDeployments").asInt()).isZero();
        assertThat(metrics()).contains("tidegate_deployments_total{environment=\"production\","
                + "result=\"succeeded\"} 1.0");
        JsonNode completed = slackMessage("Apply completed");
        assertThat(completed.get("text").asText()).isEqualTo("Apply completed in production:"
                + " acme/infra#42 Add instances");
    }

    @Test
    void failureReportOfARefusedApplyAfterTheSweepIsNotTakenForTheLostResult()
            throws Exception {
        allowedApply(42, SHA_42);
        clock.advance(Duration.ofMinutes(31));
        tidegate.sweepUnreportedApplies();
        // dev1 may not apply in production: Atlantis reports the refused apply as failed
        assertThat(hook(atlantis(42, SHA_42, "dev1"), "gate", "apply")).isNotZero();

        HttpResponse<String> refused = applyResult(42, SHA_42, false);

        assertThat(refused.statusCode()).isEqualTo(200);
        assertThat(refused.body()).startsWith("no running deployment for acme/infra#42");
        assertThat(onlyDeployment().get("result").asText()).isEqualTo("unknown");
    }

    @Test
    void lateFailureWithNoRefusalInBetweenIsRecordedAsFailed() throws Exception {
        allowedApply(42, SHA_42);
        clock.advance(Duration.ofMinutes(45));
        tidegate.sweepUnreportedApplies();

        HttpResponse<String> late = applyResult(42, SHA_42, false);

        assertThat(late.statusCode()).isEqualTo(200);
        assertThat(onlyDeployment().get("result").asText()).isEqualTo("failed");
        JsonNode stats = getJson("/api/v1/deployments/stats?days=7").get("stats");
        assertThat(stats.get("failedDeployments").asInt()).isEqualTo(1);
        assertThat(stats.get("unknownDeployments").asInt()).isZero();
    }

    @Test
    void applyRequestAndCompletionAreAnnouncedWithTheTitleFromGitHub() throws Exception {
        assertThat(hook(atlantis(42, SHA_42, "dev1"), "report")).isZero();
        assertThat(hook(atlantis(42, SHA_42, "lead1"), "gate", "apply")).isZero();
        clock.advance(Duration.ofMinutes(3));
        assertThat(applyResult(42, SHA_42, true).statusCode()).isEqualTo(200);

        // the title is not in anything Atlantis sends: it comes from GitHub's pull request
        assertThat(slackMessage("Plan completed").get("text").asText())
                .isEqualTo("Plan completed in production: acme/infra#42");
        JsonNode completed = slackMessage("Apply completed");
        assertThat(completed.get("text").asText())
                .isEqualTo("Apply completed in production: acme/infra#42 Add instances");
        assertThat(completed.get("blocks").get(1).get("text").get("text").asText())
                .isEqualTo("*<https://github.com/acme/infra/pull/42|acme/infra#42: "
                        + "Add instances>*");
        assertThat(tidegate.sweepUnreportedApplies()).isZero();
    }
}
