package io.tidegate;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.github.tomakehurst.wiremock.WireMockServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import io.tidegate.wiring.Config;
import io.tidegate.wiring.Server;

/**
 * Issue 17 §5 end to end over HTTP: a production apply under {@code codeowners: true} reads
 * CODEOWNERS on the PR's base branch (the root location, after {@code .github/} answered 404)
 * and the PR's changed files from GitHub (WireMock), asks GitHub about the team owner
 * {@code @acme/dba} that no role names, and denies until someone of that team approved. The
 * real hook script asks the gate.
 */
class CodeOwnersEndToEndTest {
    private static final String TOKEN = "tg_e2e_token_0123456789abcdefSECRET";
    private static final String SHA_42 = "6dcb09b5b57875f334f61aebed695e2e4193db5e";
    private static final String BASE = "main";
    private static final Instant MONDAY_10_KST = Instant.parse("2026-11-23T01:00:00Z");
    private static final String POLICY = """
            version: 1
            timezone: Asia/Seoul
            roles:
              leads: { teams: [acme/devops-lead, acme/cto] }
            environments:
              production:
                match: { projects: [prod-environment] }
                apply:
                  allow: [leads]
                  approvals: { count: 1, from: [leads], codeowners: true }
            """;

    @TempDir
    Path dir;

    private WireMockServer github;
    private Server.Running tidegate;

    record Run(int exit, String output) {}

    @BeforeEach
    void start() throws Exception {
        github = AtlantisGitHub.start(SHA_42);
        // GitHub's order: .github/CODEOWNERS (absent here), then CODEOWNERS at the root.
        github.stubFor(get(urlEqualTo("/repos/acme/infra/contents/CODEOWNERS?ref=" + BASE))
                .willReturn(json("{\"type\":\"file\",\"encoding\":\"base64\",\"name\":"
                        + "\"CODEOWNERS\",\"path\":\"CODEOWNERS\",\"content\":\""
                        + Base64.getMimeEncoder().encodeToString(("# owners\n"
                                + "* @acme/devops-lead\n"
                                + "environments/prod/db/ @acme/dba\n")
                                .getBytes(StandardCharsets.UTF_8)).replace("\r\n", "\\n")
                        + "\"}").withHeader("ETag", "\"codeowners-1\"")));
        github.stubFor(get(urlPathEqualTo("/repos/acme/infra/pulls/42/files")).willReturn(json(
                "[{\"sha\":\"1\",\"filename\":\"environments/prod/main.tf\",\"status\":"
                + "\"modified\"},{\"sha\":\"2\",\"filename\":\"environments/prod/db/rds.tf\","
                + "\"status\":\"renamed\",\"previous_filename\":\"environments/prod/rds.tf\"}]")));
        Path policy = Files.writeString(dir.resolve("policy.yaml"), POLICY);
        tidegate = Server.start(Config.from(Map.of(
                "TIDEGATE_BIND_ADDRESS", "127.0.0.1",
                "TIDEGATE_PORT", "0",
                "TIDEGATE_API_TOKEN", TOKEN,
                "TIDEGATE_DATA_DIR", dir.resolve("data").toString(),
                "TIDEGATE_POLICY", policy.toString(),
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

    private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder json(
            String body) {
        return aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                .withBody(body);
    }

    private Run gate() throws Exception {
        Map<String, String> env = AtlantisRunStep.applyProd(42, SHA_42, "lead1",
                tidegate.port(), TOKEN);
        List<String> command = new ArrayList<>(List.of("sh", "atlantis/tidegate-hook", "gate",
                "apply"));
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

    @Test
    void denyWhenNoApproverIsInTheTeamOwningAChangedFile() throws Exception {
        Run gate = gate();

        assertThat(gate.exit()).as(gate.output()).isNotZero();
        assertThat(gate.output()).startsWith("TIDEGATE: DENY\n")
                .contains("codeowners-approval-missing")
                .contains("@\u200Bacme/dba") // Atlantis output is inert: no mention
                .contains("environments/prod/db/rds.tf")
                .doesNotContain("environments/prod/main.tf");
        // The team no role names was asked about, for the approvers.
        github.verify(getRequestedFor(urlEqualTo(
                "/orgs/acme/teams/dba/memberships/cto1")));
        github.verify(getRequestedFor(urlEqualTo("/repos/acme/infra/contents/.github/CODEOWNERS"
                + "?ref=" + BASE)));
    }

    @Test
    void allowWhenAnApproverIsInTheOwningTeam() throws Exception {
        github.stubFor(get(urlEqualTo("/orgs/acme/teams/dba/memberships/cto1")).willReturn(
                json("{\"state\":\"active\",\"role\":\"member\"}")));

        Run gate = gate();

        assertThat(gate.exit()).as(gate.output()).isZero();
        assertThat(gate.output()).startsWith("TIDEGATE: ALLOW\n");
    }

    @Test
    void denyWhenThePullRequestChangesMoreFilesThanGitHubLists() throws Exception {
        // 30 pages of 100: GitHub's cap of 3,000 files; whether more exist cannot be known.
        String api = "http://127.0.0.1:" + github.port();
        for (int page = 1; page <= 30; page++) {
            StringBuilder files = new StringBuilder("[");
            for (int i = 0; i < 100; i++) {
                files.append(i == 0 ? "" : ",").append("{\"filename\":\"environments/prod/f")
                        .append(page).append('-').append(i).append(".tf\"}");
            }
            var response = json(files.append(']').toString());
            if (page < 30) {
                response = response.withHeader("Link", "<" + api + "/repos/acme/infra/pulls/42/"
                        + "files?per_page=100&page=" + (page + 1) + ">; rel=\"next\"");
            }
            github.stubFor(get(urlEqualTo("/repos/acme/infra/pulls/42/files?per_page=100"
                    + (page == 1 ? "" : "&page=" + page))).atPriority(1).willReturn(response));
        }

        Run gate = gate();

        assertThat(gate.exit()).as(gate.output()).isNotZero();
        assertThat(gate.output()).startsWith("TIDEGATE: DENY\n")
                .contains("changes 3000 files or more, more than GitHub lists");
    }
}
