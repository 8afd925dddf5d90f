package io.tidegate;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import io.tidegate.atlantis.AtlantisPayloads;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import io.tidegate.wiring.Config;
import io.tidegate.wiring.Server;

/**
 * Issue 6 end to end: the real {@code atlantis/tidegate-hook}, run with the environment Atlantis
 * gives a workflow step, against the running server ({@link Server#start(Config, Clock)} with the
 * default {@code policies/policy.yaml}), with WireMock as GitHub serving the pull requests,
 * reviews and team memberships. The clock is Monday 2026-11-23 10:00 KST, inside the production
 * window; apply results are posted as Atlantis's http webhook posts them.
 */
@Tag("slow")
class AtlantisEndToEndTest {
    private static final String TOKEN = "tg_e2e_token_0123456789abcdefSECRET";
    private static final String SHA_42 = "6dcb09b5b57875f334f61aebed695e2e4193db5e";
    private static final String SHA_43 = "e5bd3914e2e596debea16f433f57875b5b90bcd6";
    private static final Instant MONDAY_10_KST = Instant.parse("2026-11-23T01:00:00Z");

    @TempDir
    Path dir;

    private WireMockServer github;
    private Server.Running tidegate;
    private final TestClock clock = new TestClock(MONDAY_10_KST);
    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();

    record Run(int exit, String output) {}

    @BeforeEach
    void start() throws Exception {
        github = AtlantisGitHub.start(SHA_42, SHA_43);
        Config config = Config.from(Map.of(
                "TIDEGATE_BIND_ADDRESS", "127.0.0.1",
                "TIDEGATE_PORT", "0",
                "TIDEGATE_API_TOKEN", TOKEN,
                "TIDEGATE_DATA_DIR", dir.resolve("data").toString(),
                "TIDEGATE_POLICY", "policies/policy.yaml",
                "GITHUB_TOKEN", "ghp_e2eToken0123456789abcdefABCDEF",
                "TIDEGATE_DRY_RUN", "true",
                "GITHUB_API_URL", "http://127.0.0.1:" + github.port()));
        tidegate = Server.start(config, clock);
    }

    @AfterEach
    void stop() {
        if (tidegate != null) {
            tidegate.close();
        }
        github.stop();
        // issue 18: every decision this scenario recorded replays the same
        ReplayCheck.everyDecisionReplaysTheSame(dir.resolve("data"));
    }

    // ---- Atlantis ---------------------------------------------------------------------

    /** What Atlantis sets in a run step of {@code atlantis apply -p prod-environment}. */
    private Map<String, String> atlantis(int pr, String sha, String user) {
        return AtlantisRunStep.applyProd(pr, sha, user, tidegate.port(), TOKEN);
    }

    private Run hook(Map<String, String> env, String... args) throws Exception {
        return await(hookAsync(env, args));
    }

    private static CompletableFuture<Run> hookAsync(Map<String, String> env, String... args)
            throws IOException {
        List<String> command = new ArrayList<>(List.of("sh", "atlantis/tidegate-hook"));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().clear();
        pb.environment().put("PATH", System.getenv("PATH"));
        pb.environment().putAll(env);
        Process p = pb.start();
        p.getOutputStream().close();
        return CompletableFuture.supplyAsync(() -> {
            try {
                byte[] out = p.getInputStream().readAllBytes();
                if (!p.waitFor(60, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    throw new AssertionError("tidegate-hook did not finish within 60 s");
                }
                return new Run(p.exitValue(), new String(out, StandardCharsets.UTF_8));
            } catch (IOException | InterruptedException e) {
                throw new AssertionError(e);
            }
        });
    }

    private static Run await(CompletableFuture<Run> run) throws Exception {
        Run r = run.get(90, TimeUnit.SECONDS);
        assertThat(r.output()).doesNotContain(TOKEN);
        return r;
    }

    private void reported(int pr, String sha) throws Exception {
        Run report = hook(atlantis(pr, sha, "dev1"), "report");
        assertThat(report.exit()).as(report.output()).isZero();
    }

    /** Atlantis's http webhook for an apply, with Go's field names. */
    private HttpResponse<String> applyResult(int pr, String sha, boolean success)
            throws Exception {
        String body = AtlantisRunStep.applyResultBody(pr, sha, success);
        return http.send(HttpRequest.newBuilder(tidegateUri("/api/v1/atlantis/apply-result"))
                .header("Authorization", "Bearer " + TOKEN)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode getJson(String path) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(tidegateUri(path))
                .header("Authorization", "Bearer " + TOKEN).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return json.readTree(r.body());
    }

    private URI tidegateUri(String path) {
        return URI.create("http://127.0.0.1:" + tidegate.port() + path);
    }

    private String metrics() throws Exception {
        return http.send(HttpRequest.newBuilder(tidegateUri("/metrics")).GET().build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    // ---- the scenarios ------------------------------------------------------------------

    @Test
    void reportThenApprovedApplyInTheWindowIsAllowedAndTakesTheProductionLock()
            throws Exception {
        Run report = hook(atlantis(42, SHA_42, "dev1"), "report");
        assertThat(report.exit()).isZero();
        assertThat(report.output()).isEqualTo(
                "prod-environment: plan reported (+5 ~0 -0 resources, +$40.56/month)\n");

        Run gate = hook(atlantis(42, SHA_42, "lead1"), "gate", "apply");

        assertThat(gate.exit()).as(gate.output()).isZero();
        assertThat(gate.output()).startsWith("TIDEGATE: ALLOW\n"
                + "prod-environment: apply allowed in production\n"
                + "approved by lead1, cto1\n"
                + "lock: production held by acme/infra#42 until 2026-11-23T01:30:00Z");
        JsonNode deployments = getJson("/api/v1/deployments").get("deployments");
        assertThat(deployments).hasSize(1);
        assertThat(deployments.get(0).get("result").asText()).isEqualTo("running");
        JsonNode decision = getJson("/api/v1/decisions?repo=acme/infra&pr=42")
                .get("decisions").get(0);
        assertThat(decision.get("decision").asText()).isEqualTo("allow");
        assertThat(decision.get("actor").asText()).isEqualTo("lead1");
        assertThat(decision.get("policyHash").asText()).startsWith("sha256:");
        assertThat(decision.get("facts").get("reports").get(0).get("cost")
                .get("monthlyIncrease").decimalValue()).isEqualByComparingTo("40.561");
        assertThat(metrics()).contains("tidegate_decisions_total{command=\"apply\","
                + "environment=\"production\",reason=\"none\",result=\"allow\"} 1.0")
                .contains("tidegate_gate_latency_seconds_count");
    }

    @Test
    void approvalsGivenBeforeASecondPlanReportRaisedTheCostNoLongerCount() throws Exception {
        reported(42, SHA_42);
        clock.advance(Duration.ofMinutes(5));
        // Another workspace of the production project reports after lead1 and cto1 approved.
        Map<String, String> eu = atlantis(42, SHA_42, "dev1");
        eu.put("WORKSPACE", "eu");
        Run second = hook(eu, "report");
        assertThat(second.exit()).as(second.output()).isZero();

        Run gate = hook(atlantis(42, SHA_42, "lead1"), "gate", "apply");

        assertThat(gate.exit()).isNotZero();
        assertThat(gate.output()).isEqualTo("TIDEGATE: DENY\n"
                + "prod-environment: apply denied in production\n"
                + "- approvals-missing: production needs 2 approvals from devops-lead or cto;"
                + " 0 counted; not counted: lead1 (approved at $40.56/month, now $81.12),"
                + " cto1 (approved at $40.56/month, now $81.12)\n"
                + "  to unblock: needs 2 more approvals from devops-lead or cto\n"
                + "Details: https://github.com/acme/infra/pull/42\n"
                + "tidegate-hook: apply denied by Tidegate\n");
        assertThat(getJson("/api/v1/deployments").get("deployments")).isEmpty();
    }

    @Test
    void rePlanReportingAHigherCostOutdatesTheApprovalsGivenBeforeIt() throws Exception {
        Map<String, String> unchanged = atlantis(42, SHA_42, "dev1");
        unchanged.put("TIDEGATE_INFRACOST_FILE",
                Fixtures.path("infracost/breakdown.no-change.json").toString());
        assertThat(hook(unchanged, "report").exit()).isZero();
        clock.advance(Duration.ofMinutes(5));
        reported(42, SHA_42);

        Run gate = hook(atlantis(42, SHA_42, "lead1"), "gate", "apply");

        assertThat(gate.exit()).isNotZero();
        assertThat(gate.output()).contains("- approvals-missing: production needs 2 approvals"
                + " from devops-lead or cto; 0 counted; not counted: lead1 (approved at"
                + " $0.00/month, now $40.56), cto1 (approved at $0.00/month, now $40.56)\n");
    }

    @Test
    void rePlanReportingALowerCostKeepsTheApprovalsGivenBeforeIt() throws Exception {
        Map<String, String> costly = atlantis(42, SHA_42, "dev1");
        costly.put("TIDEGATE_INFRACOST_FILE",
                Fixtures.path("infracost/breakdown.new-resources.json").toString());
        assertThat(hook(costly, "report").exit()).isZero();
        clock.advance(Duration.ofMinutes(5));
        reported(42, SHA_42);

        Run gate = hook(atlantis(42, SHA_42, "lead1"), "gate", "apply");

        assertThat(gate.exit()).as(gate.output()).isZero();
        assertThat(gate.output()).startsWith("TIDEGATE: ALLOW\n"
                + "prod-environment: apply allowed in production\n"
                + "approved by lead1, cto1\n");
    }

    @Test
    void applyBySomeoneWithoutTheRoleIsDeniedWithEveryReasonPrinted() throws Exception {
        reported(42, SHA_42);

        Run gate = hook(atlantis(42, SHA_42, "dev1"), "gate", "apply");

        assertThat(gate.exit()).isNotZero();
        assertThat(gate.output()).isEqualTo("TIDEGATE: DENY\n"
                + "prod-environment: apply denied in production\n"
                + "- actor-not-allowed: dev1 may not apply in production: it takes role"
                + " devops-lead or cto (dev1 has developers and senior-developers)\n"
                + "  to unblock: ask someone with role devops-lead or cto to run atlantis apply\n"
                + "Details: https://github.com/acme/infra/pull/42\n"
                + "tidegate-hook: apply denied by Tidegate\n");
        assertThat(getJson("/api/v1/deployments").get("deployments")).isEmpty();
    }

    @Test
    void applyWithoutAPlanReportIsDeniedBecauseTheCostIsUnknown() throws Exception {
        Run gate = hook(atlantis(42, SHA_42, "lead1"), "gate", "apply");

        assertThat(gate.exit()).isNotZero();
        assertThat(gate.output()).startsWith("TIDEGATE: DENY\n").contains("- cost-unknown: ")
                .contains("- resources-unknown: ");
    }

    /**
     * Infracost run with {@code INFRACOST_CURRENCY=EUR} writes {@code "currency": "EUR"}; the
     * policy's limits are in USD (no {@code currency:} key), so the figures are not compared.
     */
    @Test
    void planReportInAnotherCurrencyLeavesTheCostUnknownNamingBothCurrencies()
            throws Exception {
        Path eur = dir.resolve("infracost-eur.json");
        java.nio.file.Files.writeString(eur, java.nio.file.Files.readString(
                Fixtures.path("infracost/breakdown.plan-json.increase.json"))
                .replace("\"currency\": \"USD\"", "\"currency\": \"EUR\""));
        Map<String, String> env = atlantis(42, SHA_42, "dev1");
        env.put("TIDEGATE_INFRACOST_FILE", eur.toString());

        Run report = hook(env, "report");
        Run gate = hook(atlantis(42, SHA_42, "lead1"), "gate", "apply");

        assertThat(report.output()).isEqualTo("prod-environment: plan reported (+5 ~0 -0 "
                + "resources, cost unknown: Infracost reported EUR, the policy's limits are in "
                + "USD)\n");
        assertThat(gate.exit()).isNotZero();
        assertThat(gate.output()).contains("- cost-unknown: no cost known at "
                + SHA_42.substring(0, 7) + " for prod-environment: Infracost reported EUR, the "
                + "policy's limits are in USD, so the cost rules of production cannot be "
                + "checked\n  to unblock: run Infracost with currency USD (INFRACOST_CURRENCY) "
                + "and atlantis plan again\n");
    }

    /**
     * During autoplan USER_NAME is whoever sent the pull_request event, never Atlantis's own
     * login (server/events/event_parser.go, ParseGithubPullEvent, Atlantis v0.47): the author
     * dev1, intern1 pushing to dev1's PR, or a bot.
     */
    @Test
    void autoplanIsJudgedAsTheLoginThatTriggeredItBotsIncluded() throws Exception {
        Run byAuthor = hook(atlantis(42, SHA_42, "dev1"), "gate", "plan");
        Run byIntern = hook(atlantis(42, SHA_42, "intern1"), "gate", "plan");
        Run byBot = hook(atlantis(42, SHA_42, "renovate[bot]"), "gate", "plan");

        assertThat(byAuthor.exit()).as(byAuthor.output()).isZero();
        assertThat(byAuthor.output()).startsWith("TIDEGATE: ALLOW\n"
                + "prod-environment: plan allowed in production");
        assertThat(byIntern.exit()).isNotZero();
        assertThat(byIntern.output()).contains("- actor-not-allowed: intern1 may not plan",
                "note: this plan was run for intern1");
        assertThat(byBot.exit()).isNotZero();
        assertThat(byBot.output()).contains("- actor-not-allowed: renovate[bot] may not plan",
                "someone allowed to plan in production can comment atlantis plan");
    }

    @Test
    void planStartedThroughAtlantissApiWithoutAUserIsDenied() throws Exception {
        Run plan = hook(atlantis(42, SHA_42, ""), "gate", "plan");

        assertThat(plan.exit()).isNotZero();
        assertThat(plan.output()).contains("- actor-unknown: the plan has no user");
    }

    /**
     * Drift detection and other automation start runs through Atlantis's API: nobody can be
     * judged, so the gate refuses them as actor-unknown (not as a malformed request), the link
     * is the repository's (there is no pull request), and the plan report step succeeds
     * without recording anything, so the report never fails a plan by itself.
     */
    @Test
    void aRunStartedThroughAtlantissApiForABranchIsRefusedAsActorUnknown() throws Exception {
        Map<String, String> api = AtlantisRunStep.apiRun(atlantis(42, SHA_42, "lead1"));

        Run apply = hook(api, "gate", "apply");
        Run plan = hook(api, "gate", "plan");
        Run report = hook(api, "report");
        HttpResponse<String> result = http.send(HttpRequest.newBuilder(
                tidegateUri("/api/v1/atlantis/apply-result"))
                .header("Authorization", "Bearer " + TOKEN)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(AtlantisRunStep.applyResultBody(42,
                        SHA_42, false).replace("\"Username\":\"lead1\"", "\"Username\":\"\"")
                        .replace("\"Num\":42", "\"Num\":-734271843")
                        .replace("\"HeadCommit\":\"" + SHA_42 + "\"", "\"HeadCommit\":\"main\"")))
                .build(), HttpResponse.BodyHandlers.ofString());

        assertThat(apply.exit()).isNotZero();
        assertThat(apply.output()).contains("- actor-unknown: the apply has no user (USER_NAME is"
                + " empty: started through Atlantis's API)", "Details: https://github.com/acme/infra\n")
                .doesNotContain("HTTP 400", "/pull/-");
        assertThat(plan.exit()).isNotZero();
        assertThat(plan.output()).contains("- actor-unknown: the plan has no user");
        assertThat(report.exit()).as(report.output()).isZero();
        assertThat(report.output()).contains("plan report not recorded: this run was started"
                + " through Atlantis's API (no USER_NAME) for main, not for a pull request's head"
                + " commit");
        assertThat(result.statusCode()).as(result.body()).isEqualTo(200);
        assertThat(result.body()).startsWith("no running deployment for acme/infra#-734271843");
    }

    /** repos.yaml's import and state_rm stages run `tidegate-hook gate import|state_rm`. */
    @Test
    void importAndStateRmAreGatedAsAppliesAndAuditedUnderTheirNames() throws Exception {
        reported(42, SHA_42);
        Map<String, String> importStep = atlantis(42, SHA_42, "lead1");
        importStep.put("COMMENT_ARGS", AtlantisPayloads.commentArgs(
                List.of("aws_db_instance.main", "main-db")));

        Run allowed = hook(importStep, "gate", "import");
        Run denied = hook(atlantis(42, SHA_42, "dev1"), "gate", "state_rm");

        assertThat(allowed.exit()).as(allowed.output()).isZero();
        assertThat(allowed.output()).startsWith("TIDEGATE: ALLOW\n"
                + "prod-environment: import allowed in production\n");
        assertThat(denied.exit()).isNotZero();
        assertThat(denied.output()).startsWith("TIDEGATE: DENY\n"
                + "prod-environment: state_rm denied in production\n")
                .contains("- actor-not-allowed: dev1 may not apply in production");
        JsonNode decisions = getJson("/api/v1/decisions?repo=acme/infra&pr=42")
                .get("decisions");
        List<String> commands = new ArrayList<>();
        decisions.forEach(d -> commands.add(d.get("command").asText()));
        assertThat(commands).contains("import", "state_rm");
        // no apply result ever comes for them: no deployment, no lock
        assertThat(getJson("/api/v1/deployments").get("deployments")).isEmpty();
    }

    /**
     * `atlantis plan -- -target=...` with about 750 characters of targets: Atlantis's
     * escapeArgs (project_command_context_builder.go) makes COMMENT_ARGS 1,500 characters.
     */
    @Test
    void escapedCommentArgsOfRealSizeGetADecision() throws Exception {
        List<String> targets = new ArrayList<>();
        for (int i = 0; String.join(",", targets).length() < 760; i++) {
            targets.add("-target=module.network.aws_subnet.private[\"zone-" + i + "\"]");
        }
        Map<String, String> env = atlantis(42, SHA_42, "dev1");
        env.put("COMMENT_ARGS", AtlantisPayloads.commentArgs(targets));
        assertThat(env.get("COMMENT_ARGS").length()).isGreaterThanOrEqualTo(1_500);

        Run plan = hook(env, "gate", "plan");

        assertThat(plan.exit()).as(plan.output()).isZero();
        assertThat(plan.output()).startsWith("TIDEGATE: ALLOW\n");
    }

    @Test
    void tidegateDownFailsClosed() throws Exception {
        Map<String, String> env = atlantis(42, SHA_42, "lead1");
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        env.put("TIDEGATE_URL", "http://127.0.0.1:" + closed);
        env.put("TIDEGATE_GATE_ATTEMPTS", "1");

        Run gate = hook(env, "gate", "apply");

        assertThat(gate.exit()).isNotZero();
        assertThat(gate.output()).doesNotContain("TIDEGATE: ALLOW")
                .contains("blocked (fail closed)");
    }

    @Test
    void wrongTokenIsRefusedAndFailsClosed() throws Exception {
        reported(42, SHA_42);
        Map<String, String> env = atlantis(42, SHA_42, "lead1");
        env.put("TIDEGATE_API_TOKEN", "not-the-token");

        Run gate = hook(env, "gate", "apply");

        assertThat(gate.exit()).isNotZero();
        assertThat(gate.output()).contains("401").contains("blocked (fail closed)")
                .doesNotContain("not-the-token");
        assertThat(getJson("/api/v1/deployments").get("deployments")).isEmpty();
    }

    @Test
    void twoPullRequestsRacingForTheProductionLockExactlyOneWins() throws Exception {
        reported(42, SHA_42);
        reported(43, SHA_43);

        CompletableFuture<Run> a = hookAsync(atlantis(42, SHA_42, "lead1"), "gate", "apply");
        CompletableFuture<Run> b = hookAsync(atlantis(43, SHA_43, "lead1"), "gate", "apply");
        Run first = await(a);
        Run second = await(b);

        List<Run> winners = new ArrayList<>();
        List<Run> losers = new ArrayList<>();
        for (Run r : List.of(first, second)) {
            (r.exit() == 0 ? winners : losers).add(r);
        }
        assertThat(winners).hasSize(1);
        assertThat(losers).hasSize(1);
        String holder = winners.get(0) == first ? "acme/infra#42" : "acme/infra#43";
        assertThat(winners.get(0).output()).contains("lock: production held by " + holder);
        assertThat(losers.get(0).output()).startsWith("TIDEGATE: DENY\n")
                .contains("- lock-held: ").contains(holder);
        assertThat(getJson("/api/v1/deployments").get("deployments")).hasSize(1);
    }

    @Test
    void applyResultEndsTheDeploymentAndReleasesTheLockForTheNextPullRequest()
            throws Exception {
        reported(42, SHA_42);
        reported(43, SHA_43);
        assertThat(hook(atlantis(42, SHA_42, "lead1"), "gate", "apply").exit()).isZero();
        Run blocked = hook(atlantis(43, SHA_43, "lead1"), "gate", "apply");
        assertThat(blocked.output()).contains("- lock-held: ").contains("acme/infra#42");
        clock.advance(Duration.ofMinutes(4));

        HttpResponse<String> result = applyResult(42, SHA_42, true);

        // the real apply result: a 60,000-character CJK/quote-heavy Pull.Body included
        assertThat(AtlantisRunStep.applyResultBody(42, SHA_42, true).length())
                .isGreaterThan(65_536);
        assertThat(result.statusCode()).isEqualTo(200);
        assertThat(result.body()).matches("deployment [0-9a-f-]{36} succeeded after 240s;"
                + " lock on production released\n");
        JsonNode done = getJson("/api/v1/deployments").get("deployments").get(0);
        assertThat(done.get("result").asText()).isEqualTo("succeeded");
        Run next = hook(atlantis(43, SHA_43, "lead1"), "gate", "apply");
        assertThat(next.exit()).as(next.output()).isZero();
        assertThat(next.output()).contains("lock: production held by acme/infra#43");
        assertThat(metrics()).contains("tidegate_deployments_total{environment=\"production\","
                + "result=\"succeeded\"} 1.0")
                .contains("tidegate_deployment_duration_seconds_count{environment=\"production\""
                        + "} 1");
    }

    @Test
    void resultOfAnApplyTheGateDeniedEndsNothing() throws Exception {
        reported(42, SHA_42);
        assertThat(hook(atlantis(42, SHA_42, "dev1"), "gate", "apply").exit()).isNotZero();

        HttpResponse<String> result = applyResult(42, SHA_42, false);

        assertThat(result.statusCode()).isEqualTo(200);
        assertThat(result.body()).isEqualTo("no running deployment for acme/infra#42"
                + " prod-environment at " + SHA_42 + ": the gate did not allow this apply,"
                + " nothing ended\n");
        assertThat(getJson("/api/v1/deployments").get("deployments")).isEmpty();
        assertThat(metrics()).doesNotContain("tidegate_deployments_total{");
    }

}
