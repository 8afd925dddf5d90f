package io.tidegate.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every page rendered by the real server from a SQLite store filled with realistic data
 * ({@link DashboardFixture}), read with a bearer token, and checked for its content, escaping,
 * headers and size.
 */
class DashboardPagesTest {
    private static final String AUTH = "Bearer " + DashboardServer.DASHBOARD_TOKEN;
    private static final List<String> PAGES = List.of("/", "/waiting", "/deployments",
            "/decisions");

    @TempDir
    static Path dir;
    static DashboardFixture fixture;
    static DashboardServer server;

    @BeforeAll
    static void start() throws Exception {
        fixture = new DashboardFixture(dir).fill();
        server = new DashboardServer(fixture, false);
    }

    @AfterAll
    static void stop() {
        server.close();
        fixture.close();
    }

    private static String page(String path) throws Exception {
        HttpResponse<String> r = server.get(path, "Authorization", AUTH);
        assertThat(r.statusCode()).as(path).isEqualTo(200);
        return r.body();
    }

    @Test
    void environmentsNowShowsFrozenProductionItsNextOpeningTheLockAndTheOverride()
            throws Exception {
        String html = page("/?tz=Europe/Berlin");
        assertThat(html).contains("<h2 id=\"env-production\">production <span "
                + "class=\"badge state-frozen\">❄ frozen</span></h2>");
        assertThat(html).contains("frozen: Christmas");
        // the 25th is Christmas and the last Friday, 26th Christmas, 27th Sunday: Monday 28th
        assertThat(html).contains("Opens <time datetime=\"2026-12-28T00:00:00Z\">"
                + "Mon 2026-12-28 09:00 KST</time>");
        assertThat(html).contains("your time: Mon 2026-12-28 01:00 CET");
        assertThat(html).contains("Locked by <a href=\"https://github.com/acme/infra/pull/45\">"
                + "acme/infra#45</a>");
        assertThat(html).contains("18 min of its TTL left");
        assertThat(html).contains("by cto1 until Thu 2026-12-24 11:40 KST: "
                + "“Incident INC-231: &lt;b&gt;open&lt;/b&gt; port”");
        assertThat(html).contains("<h2 id=\"env-staging\">staging <span class=\"badge "
                + "state-open\">✓ open</span></h2>", "Open around the clock.");
        assertThat(html).contains("<rect class=\"tl-frozen\"", "<rect class=\"tl-open\"",
                "<text x=\"", ">Mon 28</text>");
        assertThat(html).contains("open: 2026-12-28 09:00 – 2026-12-28 17:00");
    }

    @Test
    void whatWaitsListsEachOpenPullRequestWithWhatIsMissingAndWhoCanUnblockIt()
            throws Exception {
        String html = page("/waiting");
        assertThat(html).contains("<a href=\"https://github.com/acme/infra/pull/42\">"
                + "acme/infra#42</a>");
        assertThat(html).contains("<code>approvals-missing</code>");
        assertThat(html).contains("<code>freeze</code>");
        assertThat(html).contains("<span class=\"badge\">devops-lead (approval)</span> lead1");
        assertThat(html).contains("<span class=\"badge\">cto (approval)</span> cto1");
        assertThat(html).contains("<code>label-missing</code>");
        assertThat(html).contains("in <strong>production</strong> for 1 d 2 h");
        assertThat(html).contains("<code>cost-limit-exceeded</code>");
    }

    @Test
    void whatWaitsForALoginKeepsOnlyWhatThatLoginCanUnblock() throws Exception {
        String html = page("/waiting?for=@cto1");
        assertThat(html).contains("acme/infra#42").doesNotContain("acme/infra#43</a>");
        assertThat(html).contains("(those cto1 can unblock)");
        String none = page("/waiting?for=nobody");
        assertThat(none).contains("Nothing waits for nobody.");
    }

    @Test
    void deploymentsShowTheStatisticsChartsFailuresAndAPageOfHistory() throws Exception {
        String html = page("/deployments?environment=production&days=30");
        assertThat(html).contains("<h1>Deployments: production</h1>");
        assertThat(html).contains("<th scope=\"row\">last 30 days</th>");
        assertThat(html).contains("<polyline class=\"rate\" points=\"");
        assertThat(html).contains("<rect class=\"bar-ok\"", "<rect class=\"bar-bad\"");
        assertThat(html).contains("<title id=\"durations\">Finished deployments by duration: "
                + "0–1 min: ");
        assertThat(html).contains("Older deployments →");
        assertThat(html).doesNotContain("<td>staging</td>");
        assertThat(html).contains("✗ failed");
    }

    @Test
    void decisionsShowReasonsFactsPolicyAndTheReplayCommandAndFilter() throws Exception {
        String html = page("/decisions?repo=acme/network&verdict=deny");
        assertThat(html).contains("tidegate replay ");
        assertThat(html).contains("<strong>acme/network#");
        assertThat(html).doesNotContain("<strong>acme/infra#");
        assertThat(html).doesNotContain("✓ allow</span>");
        assertThat(html).contains("policy <code>sha256:" + fixture.policy.sha256() + "</code>");
        assertThat(html).contains("Older decisions →");
        String one = page("/decisions?repo=acme/network&pr=900");
        assertThat(one).contains("&lt;script&gt;alert('x')&lt;/script&gt; &amp; \\\"quotes\\\"");
    }

    @Test
    void everyPullRequestControlledStringIsEscaped() throws Exception {
        for (String path : List.of("/waiting", "/decisions?repo=acme/network&pr=900")) {
            String html = page(path);
            assertThat(html).as(path).doesNotContain("<script");
            assertThat(html).as(path).doesNotContain("<b>open");
        }
        // text content: < > & escaped (quotes need no escaping there); attributes: quotes too
        assertThat(page("/waiting")).contains("&lt;script&gt;alert('x')&lt;/script&gt; "
                + "&amp; \"quotes\"</h2>");
        assertThat(page("/waiting?for=%22%3E%3Cb%3E")).contains(
                "<input name=\"for\" value=\"&#34;>&lt;b>\"");
    }

    @Test
    void everyPageCarriesAStrictContentSecurityPolicyHasNoScriptAndStaysUnder100Kb()
            throws Exception {
        for (String path : PAGES) {
            HttpResponse<String> r = server.get(path, "Authorization", AUTH);
            assertThat(r.headers().firstValue("Content-Security-Policy")).as(path)
                    .contains(DashboardRoutes.CSP);
            assertThat(DashboardRoutes.CSP).contains("default-src 'none'")
                    .doesNotContain("script-src").doesNotContain("unsafe-inline");
            assertThat(r.body()).as(path).doesNotContain("<script").doesNotContain(" style=");
            assertThat(r.body().getBytes(StandardCharsets.UTF_8).length).as(path)
                    .isLessThan(100 * 1024);
            assertThat(r.body()).as(path).contains("Policy <abbr title=\"sha256:"
                    + fixture.policy.sha256() + "\">");
        }
    }

    @Test
    void eachPageHasAJsonTwinWithTheSameReadModel() throws Exception {
        ObjectMapper json = new ObjectMapper();
        JsonNode now = json.readTree(server.get("/api/v1/dashboard/now", "Authorization", AUTH)
                .body());
        assertThat(now.path("header").path("policySha").asText())
                .isEqualTo("sha256:" + fixture.policy.sha256());
        assertThat(now.path("environments").get(2).path("state").asText()).isEqualTo("frozen");
        assertThat(now.path("environments").get(2).path("lock").path("owner").asText())
                .isEqualTo("acme/infra#45");
        JsonNode waiting = json.readTree(server.get("/api/v1/dashboard/waiting?for=lead1",
                "Authorization", AUTH).body());
        assertThat(waiting.path("rows").get(0).path("title").asText())
                .isEqualTo(DashboardFixture.HOSTILE_TITLE);
        JsonNode deps = json.readTree(server.get("/api/v1/dashboard/deployments?days=7",
                "Authorization", AUTH).body());
        assertThat(deps.path("days")).hasSize(7);
        assertThat(deps.path("history")).hasSize(Dashboard.HISTORY_PAGE);
        JsonNode decisions = json.readTree(server.get("/api/v1/dashboard/decisions?verdict=allow",
                "Authorization", AUTH).body());
        assertThat(decisions.path("rows")).hasSize(Dashboard.DECISIONS_PAGE);
        decisions.path("rows").forEach(r -> assertThat(r.path("verdict").asText())
                .isEqualTo("allow"));
    }

    @Test
    void aBadParameterIs400NamingItAsHtmlOnPagesAndJsonOnTheApi() throws Exception {
        HttpResponse<String> page = server.get("/deployments?days=900", "Authorization", AUTH);
        assertThat(page.statusCode()).isEqualTo(400);
        assertThat(page.body()).contains("days: expected a whole number from 1 to 90, got "
                + "'900'");
        HttpResponse<String> api = server.get("/api/v1/dashboard/decisions?pr=3",
                "Authorization", AUTH);
        assertThat(api.statusCode()).isEqualTo(400);
        assertThat(api.body()).isEqualTo("{\"error\":\"pr: needs repo (owner/name)\","
                + "\"status\":400}");
        assertThat(server.get("/?tz=Mars/Olympus", "Authorization", AUTH).body())
                .contains("tz: not a time zone (e.g. Europe/Berlin): 'Mars/Olympus'");
        assertThat(server.get("/decisions?cursor=%25%25%25", "Authorization", AUTH).statusCode())
                .isEqualTo(400);
    }
}
