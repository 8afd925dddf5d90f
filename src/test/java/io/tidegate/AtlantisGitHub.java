package io.tidegate;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;

/**
 * WireMock as GitHub for the Atlantis scenarios under the default {@code policies/policy.yaml}:
 * repository {@code acme/infra}; open PRs to main by dev1 (a senior developer), labelled
 * cost-reviewed, with a rollback plan and a ticked checklist, approved by lead1 (devops-lead)
 * and cto1 (cto) at their head commit; intern1 is a developer. Any other membership is answered
 * 404, which GitHub means as "not a member".
 */
final class AtlantisGitHub {
    private static final String BODY = "## Rollback plan\\n\\nRevert this PR and apply.\\n\\n"
            + "- [x] plan reviewed\\n- [x] cost reviewed\\n";

    private final WireMockServer wm;

    private AtlantisGitHub(WireMockServer wm) {
        this.wm = wm;
    }

    /** Started on a loopback port, serving PRs 42, 43, ... at the given head commits. */
    static WireMockServer start(String... headShas) {
        WireMockServer wm = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1")
                .containerThreads(32));
        wm.start();
        AtlantisGitHub github = new AtlantisGitHub(wm);
        github.repository();
        for (int i = 0; i < headShas.length; i++) {
            github.pullRequest(42 + i, headShas[i], "dev1");
        }
        github.member("acme/senior-developers", "dev1");
        github.member("acme/devops-lead", "lead1");
        github.member("acme/cto", "cto1");
        github.member("acme/developers", "intern1");
        return wm;
    }

    private String api() {
        return "http://127.0.0.1:" + wm.port();
    }

    private void repository() {
        wm.stubFor(get(urlEqualTo("/repos/acme/infra")).willReturn(ok("{\"id\":1,"
                + "\"name\":\"infra\",\"full_name\":\"acme/infra\",\"owner\":{\"login\":\"acme\","
                + "\"id\":1,\"type\":\"Organization\"},\"url\":\"" + api() + "/repos/acme/infra\","
                + "\"html_url\":\"https://github.com/acme/infra\"}")));
    }

    private void pullRequest(int number, String sha, String author) {
        String repo = "{\"full_name\":\"acme/infra\",\"name\":\"infra\","
                + "\"owner\":{\"login\":\"acme\"}}";
        wm.stubFor(get(urlEqualTo("/repos/acme/infra/pulls/" + number)).willReturn(ok(
                "{\"url\":\"" + api() + "/repos/acme/infra/pulls/" + number + "\",\"id\":"
                + number + ",\"number\":" + number + ",\"state\":\"open\",\"title\":\"Add"
                + " instances\",\"body\":\"" + BODY + "\",\"draft\":false,\"mergeable_state\":\"clean\","
                + "\"html_url\":\"https://github.com/acme/infra/pull/" + number + "\","
                + "\"user\":{\"login\":\"" + author + "\",\"id\":11},"
                + "\"labels\":[{\"id\":1,\"name\":\"cost-reviewed\"}],"
                + "\"head\":{\"ref\":\"feature/infra-" + number + "\",\"sha\":\"" + sha
                + "\",\"repo\":" + repo + "},\"base\":{\"ref\":\"main\",\"sha\":"
                + "\"0000000000000000000000000000000000000000\",\"repo\":" + repo + "}}")));
        wm.stubFor(get(urlPathEqualTo("/repos/acme/infra/pulls/" + number + "/reviews"))
                .willReturn(ok("[" + review(1, "lead1", sha) + "," + review(2, "cto1", sha)
                        + "]")));
    }

    /**
     * Replaces PR {@code number}'s two approvals with ones submitted at {@code at}: for a
     * scenario whose plan report arrives after the clock start (an approval counts only for the
     * cost known when it was given).
     */
    static void approvedAt(WireMockServer wm, int number, String sha, java.time.Instant at) {
        wm.stubFor(get(urlPathEqualTo("/repos/acme/infra/pulls/" + number + "/reviews"))
                .willReturn(ok("[" + review(1, "lead1", sha, at.toString()) + ","
                        + review(2, "cto1", sha, at.toString()) + "]")));
    }

    /**
     * Submitted at the scenarios' clock start (Monday 10:00 KST), when the plan reports arrive:
     * an approval counts only for the cost known when it was given.
     */
    private static String review(long id, String login, String sha) {
        return review(id, login, sha, "2026-11-23T01:00:00Z");
    }

    private static String review(long id, String login, String sha, String submittedAt) {
        return "{\"id\":" + id + ",\"user\":{\"login\":\"" + login + "\",\"id\":" + id + "},"
                + "\"body\":\"\",\"state\":\"APPROVED\",\"commit_id\":\"" + sha + "\","
                + "\"submitted_at\":\"" + submittedAt + "\"}";
    }

    private void member(String team, String login) {
        wm.stubFor(get(urlEqualTo("/orgs/" + team.replace("/", "/teams/")
                + "/memberships/" + login)).willReturn(ok("{\"state\":\"active\","
                + "\"role\":\"member\"}")));
    }

    private static ResponseDefinitionBuilder ok(String body) {
        return aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json; charset=utf-8")
                .withHeader("X-RateLimit-Limit", "5000")
                .withHeader("X-RateLimit-Remaining", "4999")
                // epoch seconds, as GitHub sends them: hub4j reads them as an int
                // (GitHubClient.noteRateLimit, github-api 1.330), so a reset after 2038 would be
                // a NumberFormatException it catches on every response
                .withHeader("X-RateLimit-Reset", "2000000000")
                .withBody(body);
    }
}
