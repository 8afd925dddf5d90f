package io.tidegate;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.github.tomakehurst.wiremock.WireMockServer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import io.tidegate.wiring.Config;
import io.tidegate.wiring.Server;

/**
 * Issue 17 end to end over HTTP: the real {@code atlantis/tidegate-hook} reports a plan that
 * replaces a production database, and the gate denies the apply under the default policy's
 * {@code protect-data} plan rule, naming the resource; a plan that only creates passes it.
 * GitHub is WireMock
 * ({@link AtlantisGitHub}); the clock is Monday 2026-11-23 10:00 KST, in the production window.
 */
@Tag("slow")
class PlanRulesEndToEndTest {
    private static final String TOKEN = "tg_e2e_token_0123456789abcdefSECRET";
    private static final String SHA_42 = "6dcb09b5b57875f334f61aebed695e2e4193db5e";
    private static final String SHA_43 = "e5bd3914e2e596debea16f433f57875b5b90bcd6";
    private static final Instant MONDAY_10_KST = Instant.parse("2026-11-23T01:00:00Z");
    /** terraform show -json shape (internal/command/jsonplan): a replace of an RDS instance. */
    private static final String REPLACE_DB = """
            {"format_version":"1.2","terraform_version":"1.9.8","planned_values":{},
             "resource_changes":[
              {"address":"module.db.aws_db_instance.main","module_address":"module.db",
               "mode":"managed","type":"aws_db_instance","name":"main",
               "provider_name":"registry.terraform.io/hashicorp/aws",
               "change":{"actions":["delete","create"],"before":{},"after":{}}},
              {"address":"aws_instance.web","mode":"managed","type":"aws_instance","name":"web",
               "provider_name":"registry.terraform.io/hashicorp/aws",
               "change":{"actions":["create"],"before":null,"after":{}}}]}
            """;

    @TempDir
    Path dir;

    private WireMockServer github;
    private Server.Running tidegate;
    private final HttpClient http = HttpClient.newHttpClient();

    record Run(int exit, String output) {}

    @BeforeEach
    void start() throws Exception {
        github = AtlantisGitHub.start(SHA_42, SHA_43);
        tidegate = Server.start(Config.from(Map.of(
                "TIDEGATE_BIND_ADDRESS", "127.0.0.1",
                "TIDEGATE_PORT", "0",
                "TIDEGATE_API_TOKEN", TOKEN,
                "TIDEGATE_DATA_DIR", dir.resolve("data").toString(),
                "TIDEGATE_POLICY", "policies/policy.yaml",
                "GITHUB_TOKEN", "ghp_e2eToken0123456789abcdefABCDEF",
                "TIDEGATE_DRY_RUN", "true",
                "GITHUB_API_URL", "http://127.0.0.1:" + github.port())),
                new TestClock(MONDAY_10_KST));
    }

    @AfterEach
    void stop() {
        if (tidegate != null) {
            tidegate.close();
        }
        github.stop();
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
        Run r = new Run(p.exitValue(), new String(out, StandardCharsets.UTF_8));
        assertThat(r.output()).doesNotContain(TOKEN);
        return r;
    }

    private Map<String, String> atlantis(String user, Path plan) {
        Map<String, String> env = AtlantisRunStep.applyProd(42, SHA_42, user, tidegate.port(),
                TOKEN);
        env.put("SHOWFILE", plan.toString());
        return env;
    }

    private String metrics() throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + tidegate.port() + "/metrics")).GET().build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    @Test
    void replacingAProductionDatabaseIsDeniedNamingTheResource() throws Exception {
        Path plan = Files.writeString(dir.resolve("replace-db.json"), REPLACE_DB);
        Run report = hook(atlantis("dev1", plan), "report");
        assertThat(report.exit()).as(report.output()).isZero();

        Run gate = hook(atlantis("lead1", plan), "gate", "apply");

        assertThat(gate.exit()).as(gate.output()).isNotZero();
        assertThat(gate.output()).startsWith("TIDEGATE: DENY\n")
                .contains("plan rule protect-data matches replace module.db.aws_db_instance.main"
                        + " in production: denied")
                .contains("Data stores are not deleted or replaced through Atlantis: ask the DBA"
                        + " team")
                .doesNotContain("aws_instance.web");
        assertThat(metrics()).contains("tidegate_decisions_total{command=\"apply\","
                + "environment=\"production\",reason=\"plan-rule-denied\",result=\"deny\"} 1.0");
    }

    @Test
    void aPlanThatOnlyCreatesPassesThePlanRules() throws Exception {
        Path plan = Fixtures.path("terraform/plan.aws.create.small.json");
        assertThat(hook(atlantis("dev1", plan), "report").exit()).isZero();

        Run gate = hook(atlantis("lead1", plan), "gate", "apply");

        assertThat(gate.exit()).as(gate.output()).isZero();
        assertThat(gate.output()).startsWith("TIDEGATE: ALLOW\n").doesNotContain("protect-data");
        assertThat(metrics()).contains("tidegate_decisions_total{command=\"apply\","
                + "environment=\"production\",reason=\"none\",result=\"allow\"} 1.0");
    }
}
