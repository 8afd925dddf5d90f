package io.tidegate.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tidegate.Fixtures;
import io.tidegate.wiring.Json;
import io.tidegate.secret.Secret;
import io.tidegate.atlantis.ApplyResult;
import io.tidegate.atlantis.GateAnswer;
import io.tidegate.atlantis.GateRequest;
import io.tidegate.atlantis.PlanUpload;
import io.tidegate.decision.Command;
import io.tidegate.decision.ResourceChange;
import io.tidegate.decision.ProjectRef;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Atlantis routes on a real server, called by the real {@code atlantis/tidegate-hook} (and
 * by an HTTP client for Atlantis's own webhook), with fake services behind them.
 */
@Tag("slow")
class AtlantisRoutesTest {
    private static final String TOKEN = "tg_routes_test_token_0123456789";
    private static final String SHA = "6dcb09b5b57875f334f61aebed695e2e4193db5e";
    private static final String CLONE_TOKEN = "ghp_clonetoken0123456789abcdefghijklmn";

    private final List<GateRequest> gateRequests = new CopyOnWriteArrayList<>();
    private final List<PlanUpload> uploads = new CopyOnWriteArrayList<>();
    private final List<ApplyResult> results = new CopyOnWriteArrayList<>();
    private volatile GateAnswer nextAnswer = new GateAnswer.Allow("allowed");
    private volatile boolean storeDown;
    private WebServer server;
    private int port;

    @BeforeEach
    void start() {
        AtlantisRoutes routes = new AtlantisRoutes(new Secret(TOKEN),
                request -> {
                    if (storeDown) {
                        throw new IOException("store unreachable");
                    }
                    gateRequests.add(request);
                    return nextAnswer;
                },
                upload -> {
                    uploads.add(upload);
                    return upload.context().project().label() + ": plan reported (+"
                            + upload.plan().created() + " created)";
                },
                result -> {
                    results.add(result);
                    return "ok";
                });
        server = new WebServer(new WebServer.Settings("127.0.0.1", 0, Duration.ZERO), List.of(),
                new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), List.of(routes),
                Json.mapper());
        port = server.start();
    }

    @AfterEach
    void stop() {
        server.stop();
    }

    record Run(int exit, String output) {}

    private Map<String, String> atlantisEnvironment() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("BASE_REPO_OWNER", "acme");
        env.put("BASE_REPO_NAME", "infra");
        env.put("HEAD_REPO_OWNER", "acme");
        env.put("HEAD_REPO_NAME", "infra");
        env.put("HEAD_BRANCH_NAME", "feature/infra-add-rds-cluster");
        env.put("BASE_BRANCH_NAME", "main");
        env.put("PULL_NUM", "42");
        env.put("PULL_AUTHOR", "dev1");
        env.put("PULL_URL", "https://github.com/acme/infra/pull/42");
        env.put("HEAD_COMMIT", SHA);
        env.put("PROJECT_NAME", "prod-environment");
        env.put("DIR", "/atlantis-data/repos/acme/infra/42/prod/environments/prod");
        env.put("REPO_REL_DIR", "environments/prod");
        env.put("WORKSPACE", "prod");
        env.put("USER_NAME", "lead1");
        env.put("COMMENT_ARGS", "");
        env.put("TIDEGATE_URL", "http://127.0.0.1:" + port);
        env.put("TIDEGATE_API_TOKEN", TOKEN);
        return env;
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
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(out).doesNotContain(TOKEN);
        return new Run(p.exitValue(), out);
    }

    @Test
    void reportThenAllowedApplyThroughTheRealHook() throws Exception {
        Map<String, String> env = atlantisEnvironment();
        env.put("SHOWFILE", Fixtures.path("terraform/plan.aws.rds-ec2.tf0.14.json").toString());
        env.put("TIDEGATE_INFRACOST_FILE",
                Fixtures.path("infracost/breakdown.plan-json.increase.json").toString());

        Run report = hook(env, "report");

        assertThat(report).isEqualTo(new Run(0, "prod-environment: plan reported (+12 created)\n"));
        PlanUpload upload = uploads.get(0);
        assertThat(upload.context().pull().number()).isEqualTo(42);
        assertThat(upload.context().project())
                .isEqualTo(new ProjectRef("prod-environment", "environments/prod", "prod"));
        assertThat(upload.plan().createdByType()).containsEntry("aws_instance", 6)
                .containsEntry("aws_db_instance", 1);
        assertThat(upload.plan().updated()).isEqualTo(1);
        assertThat(upload.cost().orElseThrow().totals().diff())
                .contains(new BigDecimal("40.561"));

        nextAnswer = new GateAnswer.Allow("prod-environment: apply allowed (lead1, cto approved)");
        Run apply = hook(env, "gate", "apply");

        assertThat(apply).isEqualTo(new Run(0, "TIDEGATE: ALLOW\nprod-environment: apply allowed"
                + " (lead1, cto approved)\n"));
        assertThat(gateRequests).singleElement().satisfies(g -> {
            assertThat(g.command()).isEqualTo(Command.APPLY);
            assertThat(g.context().userName()).isEqualTo("lead1");
        });
    }

    @Test
    void reportWithoutInfracostLeavesTheCostUnknown() throws Exception {
        Map<String, String> env = atlantisEnvironment();
        env.put("SHOWFILE", Fixtures.path("terraform/plan.null.replace-delete-create.json")
                .toString());
        env.put("TIDEGATE_INFRACOST_FILE", "/nonexistent.json");

        assertThat(hook(env, "report").exit()).isZero();
        assertThat(uploads.get(0).cost()).isEmpty();
        assertThat(uploads.get(0).plan().createdByType()).isEqualTo(Map.of("null_resource", 1));
        assertThat(uploads.get(0).plan().deletedByType()).isEqualTo(Map.of("null_resource", 1));
        assertThat(uploads.get(0).plan().changes().get()).extracting(ResourceChange::verb)
                .containsExactly("replace");
    }

    @Test
    void malformedPlanIsRefusedNamingThePartAndPath(@TempDir Path dir) throws Exception {
        Path bad = Files.writeString(dir.resolve("bad.json"), "{\"format_version\":\"1.0\","
                + "\"resource_changes\":[{\"type\":\"aws_vpc\",\"change\":{\"actions\":"
                + "[\"explode\"]}}]}");
        Map<String, String> env = atlantisEnvironment();
        env.put("SHOWFILE", bad.toString());

        Run run = hook(env, "report");

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.output()).contains("\"plan: resource_changes[0].change.actions[0]:"
                + " unknown action \\\"explode\\\", expected one of [create, delete, forget,"
                + " no-op, read, update]\"", "(HTTP 400)");
        assertThat(uploads).isEmpty();
    }

    @Test
    void planOfFortyNineMegabytesIsStreamedThrough(@TempDir Path dir) throws Exception {
        Path plan = dir.resolve("big.tfplan.json");
        String entry = "{\"type\":\"aws_s3_bucket\",\"change\":{\"actions\":[\"create\"],"
                + "\"after\":{\"policy\":\"" + "y".repeat(4000) + "\"}}}";
        int resources = (int) (49L * 1024 * 1024 / (entry.length() + 1));
        try (var w = Files.newBufferedWriter(plan, StandardCharsets.UTF_8)) {
            w.write("{\"format_version\":\"1.2\",\"resource_changes\":[");
            for (int i = 0; i < resources; i++) {
                w.write(i > 0 ? "," + entry : entry);
            }
            w.write("]}");
        }
        assertThat(Files.size(plan)).isBetween(48L << 20, 49L << 20);
        Map<String, String> env = atlantisEnvironment();
        env.put("SHOWFILE", plan.toString());
        env.put("TIDEGATE_INFRACOST_FILE", "/nonexistent.json");

        Run run = hook(env, "report");

        assertThat(run.exit()).as(run.output()).isZero();
        assertThat(uploads.get(0).plan().createdByType()).containsExactly(
                Map.entry("aws_s3_bucket", resources));
    }

    @Test
    void deniedApplyPrintsTheReasonsAndFails() throws Exception {
        nextAnswer = new GateAnswer.Deny("prod-environment: apply denied\n"
                + "- needs 1 more approval from devops-lead or cto");

        Run run = hook(atlantisEnvironment(), "gate", "apply");

        assertThat(run).isEqualTo(new Run(1, "TIDEGATE: DENY\nprod-environment: apply denied\n"
                + "- needs 1 more approval from devops-lead or cto\n"
                + "tidegate-hook: apply denied by Tidegate\n"));
    }

    @Test
    void wrongTokenIsRefusedBeforeAnyDecision() throws Exception {
        Map<String, String> env = atlantisEnvironment();
        env.put("TIDEGATE_API_TOKEN", "not-the-token-at-all");

        Run run = hook(env, "gate", "apply");

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.output()).contains("Tidegate refused the API token (HTTP 401)");
        assertThat(gateRequests).isEmpty();
    }

    @Test
    void missingRunStepVariableIsA400NamingIt() throws Exception {
        Map<String, String> env = atlantisEnvironment();
        env.remove("HEAD_COMMIT");

        Run run = hook(env, "gate", "apply");

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.output()).isEqualTo("{\"error\":\"gate request: head_commit: expected a 40"
                + " or 64 digit lowercase hex commit SHA, found \\\"\\\"\",\"status\":400}\n"
                + "tidegate-hook: Tidegate rejected the gate request (HTTP 400): apply blocked"
                + " (fail closed)\n");
    }

    @Test
    void failureBehindTheGateIsA500AndTheHookFailsClosed() throws Exception {
        storeDown = true;

        Run run = hook(atlantisEnvironment(), "gate", "apply");

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.output()).endsWith(
                "tidegate-hook: Tidegate failed (HTTP 500): apply blocked (fail closed)\n");
    }

    private HttpResponse<String> postApplyResult(String token, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + AtlantisRoutes.APPLY_RESULT))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String applyResultJson(String success) {
        return ("{\"Workspace\":\"prod\",\"Repo\":{\"FullName\":\"acme/infra\",\"Owner\":\"acme\","
                + "\"Name\":\"infra\",\"CloneURL\":\"https://bot:%s@github.com/acme/infra.git\"},"
                + "\"Pull\":{\"Num\":42,\"HeadCommit\":\"%s\",\"URL\":\"\",\"HeadBranch\":\"f\","
                + "\"BaseBranch\":\"main\",\"Author\":\"dev1\"},\"User\":{\"Username\":\"lead1\"},"
                + "\"Success\":%s,\"Directory\":\"environments/prod\","
                + "\"ProjectName\":\"prod-environment\"}").formatted(CLONE_TOKEN, SHA, success);
    }

    @Test
    void applyResultWebhookIsRecorded() throws Exception {
        HttpResponse<String> response = postApplyResult(TOKEN, applyResultJson("true"));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(results).singleElement().satisfies(r -> {
            assertThat(r.success()).isTrue();
            assertThat(r.pull().number()).isEqualTo(42);
            assertThat(r.project().label()).isEqualTo("prod-environment");
            assertThat(r.toString()).doesNotContain(CLONE_TOKEN);
        });
    }

    /** Atlantis v0.47's real ApplyResult with a 60,000-character PR description. */
    @Test
    void applyResultWithALongPullRequestBodyIsAccepted() throws Exception {
        String body = io.tidegate.atlantis.AtlantisPayloads.applyResultJson(
                io.tidegate.atlantis.AtlantisPayloads.prodApply(42, SHA, true)
                        .withBody(io.tidegate.atlantis.AtlantisPayloads.longBody()));

        HttpResponse<String> response = postApplyResult(TOKEN, body);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(results).singleElement().satisfies(r ->
                assertThat(r.project().label()).isEqualTo("prod-environment"));
    }

    @Test
    void importStageOfTheRealHookIsSentAsImport() throws Exception {
        Run run = hook(atlantisEnvironment(), "gate", "import");

        assertThat(run.exit()).as(run.output()).isZero();
        assertThat(gateRequests).singleElement().satisfies(g ->
                assertThat(g.stage()).isEqualTo(io.tidegate.atlantis.Stage.IMPORT));
    }

    /**
     * Atlantis sends its --webhook-http-headers to every http webhook it has: with
     * TIDEGATE_APPLY_RESULT_TOKEN that header can end deployments, and nothing else.
     */
    @Test
    void separateApplyResultTokenIsTheOnlyOneApplyResultsTakeAndGatesRefuseIt()
            throws Exception {
        String resultToken = "tg_apply_result_only_0123456789";
        server.stop();
        AtlantisRoutes routes = new AtlantisRoutes(new Secret(TOKEN), new Secret(resultToken),
                request -> {
                    gateRequests.add(request);
                    return nextAnswer;
                },
                upload -> "reported",
                result -> {
                    results.add(result);
                    return "ok";
                });
        server = new WebServer(new WebServer.Settings("127.0.0.1", 0, Duration.ZERO), List.of(),
                new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), List.of(routes),
                Json.mapper());
        port = server.start();
        Map<String, String> gateWithResultToken = atlantisEnvironment();
        gateWithResultToken.put("TIDEGATE_API_TOKEN", resultToken);

        assertThat(postApplyResult(TOKEN, applyResultJson("true")).statusCode()).isEqualTo(401);
        assertThat(postApplyResult(resultToken, applyResultJson("true")).statusCode())
                .isEqualTo(200);
        assertThat(hook(gateWithResultToken, "gate", "apply").exit()).isNotZero();
        assertThat(gateRequests).isEmpty();
        assertThat(results).hasSize(1);
    }

    @Test
    void applyResultWithoutTheWebhookHeaderIsRefused() throws Exception {
        assertThat(postApplyResult(null, applyResultJson("true")).statusCode()).isEqualTo(401);
        assertThat(results).isEmpty();
    }

    @Test
    void malformedApplyResultIsA400ThatNeverEchoesTheCloneUrl() throws Exception {
        HttpResponse<String> response = postApplyResult(TOKEN, applyResultJson("\"maybe\""));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).isEqualTo("{\"error\":\"apply result: Success: expected true"
                + " or false, found \\\"maybe\\\"\",\"status\":400}");
        assertThat(results).isEmpty();
    }

    @Test
    void planUploadThatIsNotMultipartIsRefused() throws Exception {
        HttpRequest request = HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + AtlantisRoutes.PLAN))
                .header("Authorization", "Bearer " + TOKEN)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build();

        HttpResponse<String> response =
                HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("expected multipart/form-data with parts meta,"
                + " plan and optionally infracost");
    }

    @Test
    void planNestedTooDeeplyIsA400SayingHowDeepInPlainWords(@TempDir Path dir)
            throws Exception {
        Path deep = Files.writeString(dir.resolve("deep.json"), "{\"format_version\":\"1.2\","
                + "\"planned_values\":" + "[".repeat(50_000) + "]".repeat(50_000) + "}");
        Map<String, String> env = atlantisEnvironment();
        env.put("SHOWFILE", deep.toString());

        Run run = hook(env, "report");

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.output()).contains("{\"error\":\"plan: not valid JSON: nested deeper than"
                + " 1000 levels\",\"status\":400}", "(HTTP 400)");
        assertThat(uploads).isEmpty();
    }

    @Test
    void planWithATwoMillionDigitNumberIsA400SayingHowLongInPlainWords(@TempDir Path dir)
            throws Exception {
        Path big = Files.writeString(dir.resolve("number.json"), "{\"format_version\":\"1.2\","
                + "\"planned_values\":{\"n\":" + "9".repeat(2_000_000) + "}}");
        Map<String, String> env = atlantisEnvironment();
        env.put("SHOWFILE", big.toString());

        Run run = hook(env, "report");

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.output()).contains("{\"error\":\"plan: not valid JSON: a number longer"
                + " than 1000 digits\",\"status\":400}", "(HTTP 400)");
        assertThat(uploads).isEmpty();
    }
}
