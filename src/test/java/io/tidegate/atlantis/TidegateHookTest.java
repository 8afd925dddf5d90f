package io.tidegate.atlantis;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.tidegate.Fixtures;
import io.tidegate.decision.Command;
import io.tidegate.decision.ProjectRef;
import io.tidegate.infracost.InfracostParser;
import io.tidegate.infracost.InfracostReport;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the real {@code atlantis/tidegate-hook} with {@code sh}, with the environment Atlantis
 * gives a run step, against WireMock standing in for Tidegate. Atlantis runs a run step with
 * {@code sh -c} (Debian's dash in its Debian image); {@link TidegateHookBusyboxTest} runs every
 * case again with BusyBox's shell and tools, as in its default Alpine image.
 */
@Tag("slow")
class TidegateHookTest {
    private static final Path HOOK = Path.of("atlantis", "tidegate-hook");
    private static final String TOKEN = "tg_test_0123456789abcdefSECRET";
    private static final String SHA = "6dcb09b5b57875f334f61aebed695e2e4193db5e";
    private static final String GATE = "/api/v1/atlantis/gate";
    private static final String PLAN = "/api/v1/atlantis/plan";

    private WireMockServer tidegate;
    private final ObjectMapper json = new ObjectMapper();

    record Run(int exit, String output) {}

    @BeforeEach
    void start() {
        tidegate = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        tidegate.start();
        // Anything without the right token is refused, as Tidegate does.
        tidegate.stubFor(post(urlEqualTo(GATE)).atPriority(10)
                .willReturn(aResponse().withStatus(401)
                        .withBody("{\"error\":\"missing or wrong API token\",\"status\":401}")));
        tidegate.stubFor(post(urlEqualTo(PLAN)).atPriority(10)
                .willReturn(aResponse().withStatus(401)));
    }

    @AfterEach
    void stop() {
        tidegate.stop();
    }

    /** What Atlantis sets for `atlantis apply -p prod-environment` on PR 42. */
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
        env.put("PLANFILE", "/atlantis-data/repos/acme/infra/42/prod/environments/prod/p.tfplan");
        env.put("TIDEGATE_URL", "http://127.0.0.1:" + tidegate.port());
        env.put("TIDEGATE_API_TOKEN", TOKEN);
        return env;
    }

    private Run hook(Map<String, String> env, String... args)
            throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(shell());
        command.add(HOOK.toString());
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().clear();
        pb.environment().put("PATH", path());
        pb.environment().putAll(env);
        Process p = pb.start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("tidegate-hook did not finish within 60 s");
        }
        Run run = new Run(p.exitValue(), new String(out, StandardCharsets.UTF_8));
        // The token must never reach Atlantis's PR comment.
        assertThat(run.output()).doesNotContain(TOKEN);
        return run;
    }

    /** The shell the script runs in. */
    List<String> shell() {
        return List.of("sh");
    }

    /** The PATH it finds its tools (awk, sed, curl, ...) on. */
    String path() {
        return System.getenv("PATH");
    }

    private void gateAnswers(int status, String body) {
        tidegate.stubFor(post(urlEqualTo(GATE)).atPriority(1)
                .withHeader("Authorization", equalTo("Bearer " + TOKEN))
                .willReturn(aResponse().withStatus(status)
                        .withHeader("Content-Type", "text/plain; charset=utf-8").withBody(body)));
    }

    private LoggedRequest onlyGateRequest() {
        List<LoggedRequest> requests = tidegate.findAll(postRequestedFor(urlEqualTo(GATE)));
        assertThat(requests).hasSize(1);
        return requests.get(0);
    }

    private static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void allowedApplyExitsZeroAndPrintsTidegatesText() throws Exception {
        gateAnswers(200, "TIDEGATE: ALLOW\nprod-environment: apply allowed (approved by lead1,"
                + " cto; cost +$40.56/month)\n");

        Run run = hook(atlantisEnvironment(), "gate", "apply");

        assertThat(run.exit()).isZero();
        assertThat(run.output()).isEqualTo("TIDEGATE: ALLOW\nprod-environment: apply allowed"
                + " (approved by lead1, cto; cost +$40.56/month)\n");
        LoggedRequest request = onlyGateRequest();
        assertThat(request.getHeader("Content-Type")).isEqualTo("application/json");
        assertThat(request.getHeader("Authorization")).isEqualTo("Bearer " + TOKEN);
    }

    @Test
    void gateSendsEveryRunStepVariableAsTheContractSays() throws Exception {
        gateAnswers(200, "TIDEGATE: ALLOW\n");

        hook(atlantisEnvironment(), "gate", "apply");

        byte[] body = onlyGateRequest().getBody();
        Map<String, Object> sent = json.readValue(body, new TypeReference<>() {});
        assertThat(sent).containsExactlyInAnyOrderEntriesOf(Map.ofEntries(
                Map.entry("command", "apply"),
                Map.entry("base_repo_owner", "acme"),
                Map.entry("base_repo_name", "infra"),
                Map.entry("head_repo_owner", "acme"),
                Map.entry("head_repo_name", "infra"),
                Map.entry("head_branch_name", "feature/infra-add-rds-cluster"),
                Map.entry("base_branch_name", "main"),
                Map.entry("pull_num", "42"),
                Map.entry("pull_author", "dev1"),
                Map.entry("pull_url", "https://github.com/acme/infra/pull/42"),
                Map.entry("head_commit", SHA),
                Map.entry("project_name", "prod-environment"),
                Map.entry("dir", "/atlantis-data/repos/acme/infra/42/prod/environments/prod"),
                Map.entry("repo_rel_dir", "environments/prod"),
                Map.entry("workspace", "prod"),
                Map.entry("user_name", "lead1"),
                Map.entry("comment_args", "")));
        // And the server-side parser reads exactly that.
        GateRequest parsed = new AtlantisRequestParser().gate(new ByteArrayInputStream(body));
        assertThat(parsed.command()).isEqualTo(Command.APPLY);
        assertThat(parsed.context().project())
                .isEqualTo(new ProjectRef("prod-environment", "environments/prod", "prod"));
    }

    @Test
    void gateJsonEscapesQuotesBackslashesControlCharactersAndKeepsUnicode() throws Exception {
        gateAnswers(200, "TIDEGATE: ALLOW\n");
        Map<String, String> env = atlantisEnvironment();
        env.put("COMMENT_ARGS", "\\-target\\=aws_instance.a,\\-lock\\=false");
        env.put("PROJECT_NAME", "say \"hi\"\tthen\nnewline\u0001 데브옵스");
        env.put("USER_NAME", "");

        hook(env, "gate", "plan");

        Map<?, ?> sent = json.readValue(onlyGateRequest().getBody(), Map.class);
        assertThat(sent.get("command")).isEqualTo("plan");
        assertThat(sent.get("comment_args"))
                .isEqualTo("\\-target\\=aws_instance.a,\\-lock\\=false");
        assertThat(sent.get("project_name"))
                .isEqualTo("say \"hi\"\tthen\nnewline\u0001 데브옵스");
        assertThat(sent.get("user_name")).isEqualTo("");
    }

    @Test
    void gateWithoutACommandAsksForApply() throws Exception {
        gateAnswers(200, "TIDEGATE: ALLOW\n");

        assertThat(hook(atlantisEnvironment(), "gate").exit()).isZero();
        assertThat(json.readValue(onlyGateRequest().getBody(), Map.class).get("command"))
                .isEqualTo("apply");
    }

    @Test
    void deniedApplyExitsNonZeroAndPrintsEveryReason() throws Exception {
        String denial = "TIDEGATE: DENY\nprod-environment: apply denied\n"
                + "- needs 1 more approval from devops-lead or cto\n"
                + "- production window opens Mon 09:00 KST\n"
                + "Details: https://github.com/acme/infra/pull/42#issuecomment-1\n";
        gateAnswers(403, denial);

        Run run = hook(atlantisEnvironment(), "gate", "apply");

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.output()).isEqualTo(denial + "tidegate-hook: apply denied by Tidegate\n");
    }

    @Test
    void tidegateDownFailsClosedAfterBoundedRetries() throws Exception {
        Map<String, String> env = atlantisEnvironment();
        int port = closedPort();
        env.put("TIDEGATE_URL", "http://127.0.0.1:" + port);
        env.put("TIDEGATE_GATE_ATTEMPTS", "2");

        Run run = hook(env, "gate", "apply");

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.output()).isEqualTo("tidegate-hook: cannot connect to Tidegate at"
                + " http://127.0.0.1:" + port
                + " after 2 attempt(s): apply blocked (fail closed)\n");
    }

    @Test
    void timeoutFailsClosedWithoutRetryingADecidedGate() throws Exception {
        tidegate.stubFor(post(urlEqualTo(GATE)).atPriority(1)
                .withHeader("Authorization", equalTo("Bearer " + TOKEN))
                .willReturn(aResponse().withStatus(200).withBody("TIDEGATE: ALLOW\n")
                        .withFixedDelay(4000)));
        Map<String, String> env = atlantisEnvironment();
        env.put("TIDEGATE_TIMEOUT", "1");

        Run run = hook(env, "gate", "apply");

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.output()).isEqualTo("tidegate-hook: Tidegate at http://127.0.0.1:"
                + tidegate.port() + " did not answer within 1 seconds: apply blocked"
                + " (fail closed)\n");
        onlyGateRequest();
    }

    @Test
    void serverErrorFailsClosed() throws Exception {
        gateAnswers(500,
                "{\"error\":\"internal error; the request was not applied\",\"status\":500}");

        Run run = hook(atlantisEnvironment(), "gate", "apply");

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.output()).endsWith(
                "tidegate-hook: Tidegate failed (HTTP 500): apply blocked (fail closed)\n");
    }

    @Test
    void okAnswerWithoutTheAllowMarkerFailsClosed() throws Exception {
        gateAnswers(200, "<html><body>Please sign in to the proxy</body></html>\n");

        Run run = hook(atlantisEnvironment(), "gate", "apply");

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.output()).isEqualTo("<html><body>Please sign in to the proxy</body></html>\n"
                + "tidegate-hook: Tidegate answered HTTP 200 without the 'TIDEGATE: ALLOW' line:"
                + " apply blocked (fail closed)\n");
    }

    @Test
    void allowMarkerMustBeTheFirstLine() throws Exception {
        gateAnswers(200, "TIDEGATE: DENY\nTIDEGATE: ALLOW\n");

        assertThat(hook(atlantisEnvironment(), "gate", "apply").exit()).isEqualTo(1);
    }

    @Test
    void emptyOkAnswerFailsClosed() throws Exception {
        gateAnswers(200, "");

        assertThat(hook(atlantisEnvironment(), "gate", "apply").exit()).isEqualTo(1);
    }

    @Test
    void wrongTokenIsReportedWithoutPrintingAnyToken() throws Exception {
        gateAnswers(200, "TIDEGATE: ALLOW\n");
        Map<String, String> env = atlantisEnvironment();
        env.put("TIDEGATE_API_TOKEN", "wrong-token-value-123");

        Run run = hook(env, "gate", "apply");

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.output()).isEqualTo("tidegate-hook: Tidegate refused the API token"
                + " (HTTP 401): check TIDEGATE_API_TOKEN in the Atlantis environment. apply"
                + " blocked (fail closed)\n");
        assertThat(run.output()).doesNotContain("wrong-token-value-123");
    }

    @Test
    void badRequestPrintsTidegatesProblemsAndFailsClosed() throws Exception {
        gateAnswers(400, "{\"error\":\"gate request: head_commit: required\",\"status\":400}");

        Run run = hook(atlantisEnvironment(), "gate", "apply");

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.output()).isEqualTo(
                "{\"error\":\"gate request: head_commit: required\",\"status\":400}\n"
                        + "tidegate-hook: Tidegate rejected the gate request (HTTP 400): apply"
                        + " blocked (fail closed)\n");
    }

    @Test
    void missingTokenFailsClosedBeforeCallingTidegate() throws Exception {
        Map<String, String> env = atlantisEnvironment();
        env.remove("TIDEGATE_API_TOKEN");

        Run run = hook(env, "gate", "apply");

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.output()).isEqualTo("tidegate-hook: TIDEGATE_API_TOKEN is not set in the"
                + " Atlantis environment: apply blocked (fail closed)\n");
        assertThat(tidegate.getAllServeEvents()).isEmpty();
    }

    @Test
    void missingUrlFailsClosed() throws Exception {
        Map<String, String> env = atlantisEnvironment();
        env.remove("TIDEGATE_URL");

        Run run = hook(env, "gate", "plan");

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.output()).isEqualTo("tidegate-hook: TIDEGATE_URL is not set in the"
                + " Atlantis environment: plan blocked (fail closed)\n");
    }

    @Test
    void unknownCommandIsAUsageError() throws Exception {
        Run run = hook(atlantisEnvironment(), "gate", "destroy");

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.output()).isEqualTo("tidegate-hook: usage: tidegate-hook gate"
                + " [apply|plan|import|state_rm] | tidegate-hook report\n");
    }

    private void planAccepted() {
        tidegate.stubFor(post(urlEqualTo(PLAN)).atPriority(1)
                .withHeader("Authorization", equalTo("Bearer " + TOKEN))
                .willReturn(aResponse().withStatus(200).withBody(
                        "prod-environment: plan reported (+12 resources, +$40.56/month)\n")));
    }

    private static Request.Part part(LoggedRequest request, String name) {
        return request.getParts().stream().filter(p -> p.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no part " + name));
    }

    @Test
    void reportUploadsPlanAndInfracostJsonAsMultipart() throws Exception {
        planAccepted();
        Path plan = Fixtures.path("terraform/plan.aws.rds-ec2.tf0.14.json");
        Path infracost = Fixtures.path("infracost/breakdown.plan-json.increase.json");
        Map<String, String> env = atlantisEnvironment();
        env.put("SHOWFILE", plan.toString());
        env.put("TIDEGATE_INFRACOST_FILE", infracost.toString());

        Run run = hook(env, "report");

        assertThat(run.exit()).isZero();
        assertThat(run.output())
                .isEqualTo("prod-environment: plan reported (+12 resources, +$40.56/month)\n");
        List<LoggedRequest> requests = tidegate.findAll(postRequestedFor(urlEqualTo(PLAN)));
        assertThat(requests).hasSize(1);
        LoggedRequest r = requests.get(0);
        assertThat(r.getHeader("Content-Type")).startsWith("multipart/form-data; boundary=");
        assertThat(r.getHeader("Authorization")).isEqualTo("Bearer " + TOKEN);
        assertThat(r.getParts()).extracting(Request.Part::getName)
                .containsExactly("meta", "plan", "infracost");
        assertThat(part(r, "plan").getBody().asBytes()).isEqualTo(Files.readAllBytes(plan));
        assertThat(part(r, "infracost").getBody().asBytes())
                .isEqualTo(Files.readAllBytes(infracost));
        assertThat(part(r, "plan").getHeader("Content-Type").firstValue())
                .isEqualTo("application/json");

        RunContext meta = new AtlantisRequestParser().planMeta(
                new ByteArrayInputStream(part(r, "meta").getBody().asBytes()));
        assertThat(meta.pull().number()).isEqualTo(42);
        assertThat(meta.pull().headCommit()).isEqualTo(SHA);
        assertThat(meta.project()).isEqualTo(
                new ProjectRef("prod-environment", "environments/prod", "prod"));
        try (InputStream in = new ByteArrayInputStream(part(r, "plan").getBody().asBytes())) {
            assertThat(new PlanReader().read(in).created()).isEqualTo(12);
        }
        InfracostReport cost =
                new InfracostParser().parse(part(r, "infracost").getBody().asBytes());
        assertThat(cost.totals().diff()).contains(new java.math.BigDecimal("40.561"));
    }

    @Test
    void reportWithoutInfracostOutputSendsThePlanAndSaysCostIsUnknown() throws Exception {
        planAccepted();
        Path plan = Fixtures.path("terraform/plan.aws.create.small.json");
        Map<String, String> env = atlantisEnvironment();
        env.put("SHOWFILE", plan.toString());
        env.put("TIDEGATE_INFRACOST_FILE", "/nonexistent/infracost.json");

        Run run = hook(env, "report");

        assertThat(run.exit()).isZero();
        assertThat(run.output()).startsWith("tidegate-hook: no Infracost output at"
                + " /nonexistent/infracost.json: the cost is reported as unknown\n");
        LoggedRequest r = tidegate.findAll(postRequestedFor(urlEqualTo(PLAN))).get(0);
        assertThat(r.getParts()).extracting(Request.Part::getName).containsExactly("meta", "plan");
    }

    @Test
    void reportWithoutShowfileExplainsTheMissingShowStep() throws Exception {
        Run run = hook(atlantisEnvironment(), "report");

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.output()).isEqualTo("tidegate-hook: SHOWFILE is not set: run"
                + " tidegate-hook report after a show step\n");
    }

    @Test
    void planOverTheUploadLimitIsRefusedBeforeSending(@TempDir Path dir) throws Exception {
        Path huge = dir.resolve("huge.json");
        try (var f = new java.io.RandomAccessFile(huge.toFile(), "rw")) {
            f.setLength(50L * 1024 * 1024 + 1); // sparse: no 50 MB written
        }
        Map<String, String> env = atlantisEnvironment();
        env.put("SHOWFILE", huge.toString());

        Run run = hook(env, "report");

        assertThat(run).isEqualTo(new Run(1, "tidegate-hook: the plan JSON is larger than"
                + " 52428800 bytes: not reported\n"));
        assertThat(tidegate.getAllServeEvents()).isEmpty();
    }

    @Test
    void reportToTidegateDownFails() throws Exception {
        Map<String, String> env = atlantisEnvironment();
        int port = closedPort();
        env.put("TIDEGATE_URL", "http://127.0.0.1:" + port);
        env.put("SHOWFILE", Fixtures.path("terraform/plan.aws.update.json").toString());

        Run run = hook(env, "report");

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.output()).endsWith("tidegate-hook: cannot connect to Tidegate at"
                + " http://127.0.0.1:" + port + " after 3 attempt(s): report blocked"
                + " (fail closed)\n");
    }

    @Test
    void reportRejectedByTidegateFails() throws Exception {
        tidegate.stubFor(post(urlEqualTo(PLAN)).atPriority(1)
                .withHeader("Authorization", equalTo("Bearer " + TOKEN))
                .willReturn(aResponse().withStatus(413)
                        .withBody("{\"error\":\"request body too large\",\"status\":413}")));
        Map<String, String> env = atlantisEnvironment();
        env.put("SHOWFILE", Fixtures.path("terraform/plan.aws.update.json").toString());

        Run run = hook(env, "report");

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.output()).isEqualTo(
                "tidegate-hook: no Infracost output at " + env.get("SHOWFILE")
                        + ".infracost.json: the cost is reported as unknown\n"
                        + "{\"error\":\"request body too large\",\"status\":413}\n"
                        + "tidegate-hook: Tidegate did not accept the plan report (HTTP 413)\n");
    }
}
