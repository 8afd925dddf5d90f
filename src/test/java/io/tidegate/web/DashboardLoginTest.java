package io.tidegate.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Access to the dashboard over the real server: the login form, the session, public read. */
class DashboardLoginTest {
    private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");

    @TempDir
    static Path dir;
    static DashboardFixture fixture;
    static DashboardServer server;

    @BeforeAll
    static void start() throws Exception {
        fixture = new DashboardFixture(dir);
        fixture.reviewOpenPullRequests();
        server = new DashboardServer(fixture, false);
    }

    @AfterAll
    static void stop() {
        server.close();
        fixture.close();
    }

    /** GET /login: the form's CSRF value and the cookie carrying the same. */
    private static String[] loginForm() throws Exception {
        HttpResponse<String> form = server.get("/login");
        assertThat(form.statusCode()).isEqualTo(200);
        Matcher m = CSRF.matcher(form.body());
        assertThat(m.find()).isTrue();
        String cookie = form.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(cookie).startsWith(DashboardAccess.CSRF_COOKIE + "=" + m.group(1) + ";");
        return new String[] {m.group(1), cookie.substring(0, cookie.indexOf(';'))};
    }

    private static String form(String csrf, String token) {
        return "csrf=" + csrf + "&next=%2Fwaiting&token="
                + URLEncoder.encode(token, StandardCharsets.UTF_8);
    }

    @Test
    void pagesRedirectToTheLoginFormAndTheApiAnswers401WithoutCredentials() throws Exception {
        for (String path : List.of("/", "/waiting", "/deployments", "/decisions")) {
            HttpResponse<String> r = server.get(path);
            assertThat(r.statusCode()).as(path).isEqualTo(303);
            assertThat(r.headers().firstValue("Location")).as(path).hasValue("/login?next="
                    + path);
        }
        HttpResponse<String> api = server.get("/api/v1/dashboard/now");
        assertThat(api.statusCode()).isEqualTo(401);
        assertThat(server.get("/api/v1/dashboard/now", "Authorization", "Bearer wrong")
                .statusCode()).isEqualTo(401);
    }

    @Test
    void aSignInFormLargerThan16KibIs413AndSignsNobodyIn() throws Exception {
        String[] csrf = loginForm();
        String padded = form(csrf[0], DashboardServer.DASHBOARD_TOKEN) + "&pad="
                + "x".repeat((int) DashboardRoutes.MAX_LOGIN_BYTES);

        HttpResponse<String> r = server.post("/login", padded, "Cookie", csrf[1]);

        assertThat(r.statusCode()).isEqualTo(413);
        assertThat(r.body()).isEqualTo("{\"error\":\"request body too large\",\"status\":413}");
        assertThat(r.headers().allValues("Set-Cookie"))
                .noneMatch(c -> c.startsWith(DashboardAccess.SESSION_COOKIE + "="));
    }

    @Test
    void aSignInFormWithoutALengthIs411AndIsNotRead() throws Exception {
        String[] csrf = loginForm();
        byte[] body = form(csrf[0], DashboardServer.DASHBOARD_TOKEN)
                .getBytes(StandardCharsets.US_ASCII);
        // a stream of unknown length: the client sends it chunked, with no Content-Length
        HttpResponse<String> r = server.http.send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create("http://127.0.0.1:" + server.port + "/login"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Cookie", csrf[1])
                .POST(java.net.http.HttpRequest.BodyPublishers.ofInputStream(
                        () -> new java.io.ByteArrayInputStream(body))).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(r.statusCode()).isEqualTo(411);
        assertThat(r.body()).contains("A sign-in form must say its length (Content-Length).");
        assertThat(r.headers().allValues("Set-Cookie"))
                .noneMatch(c -> c.startsWith(DashboardAccess.SESSION_COOKIE + "="));
    }

    @Test
    void aValidTokenThroughTheFormBecomesAnHttpOnlySameSiteStrictSessionThatReadsPages()
            throws Exception {
        String[] csrf = loginForm();
        HttpResponse<String> r = server.post("/login", form(csrf[0],
                DashboardServer.DASHBOARD_TOKEN), "Cookie", csrf[1]);
        assertThat(r.statusCode()).isEqualTo(303);
        assertThat(r.headers().firstValue("Location")).hasValue("/waiting");
        String session = r.headers().allValues("Set-Cookie").stream()
                .filter(c -> c.startsWith(DashboardAccess.SESSION_COOKIE + "=")).findFirst()
                .orElseThrow();
        assertThat(session).endsWith("; Path=/; Max-Age=43200; HttpOnly; SameSite=Strict");
        assertThat(session).doesNotContain(DashboardServer.DASHBOARD_TOKEN);
        String cookie = session.substring(0, session.indexOf(';'));
        HttpResponse<String> page = server.get("/waiting", "Cookie", cookie);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("<h1>What waits</h1>", "Sign out");
    }

    @Test
    void behindTlsTheSessionCookieIsSecure() throws Exception {
        String[] csrf = loginForm();
        HttpResponse<String> r = server.post("/login", form(csrf[0], DashboardServer.API_TOKEN),
                "Cookie", csrf[1], "X-Forwarded-Proto", "https");
        assertThat(r.headers().allValues("Set-Cookie")).anyMatch(c -> c.startsWith(
                DashboardAccess.SESSION_COOKIE + "=") && c.endsWith(
                "; HttpOnly; SameSite=Strict; Secure"));
    }

    @Test
    void aWrongTokenIs401AndSetsNoSession() throws Exception {
        String[] csrf = loginForm();
        HttpResponse<String> r = server.post("/login", form(csrf[0], "guess"), "Cookie",
                csrf[1]);
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.body()).contains("✗ That token is not valid.");
        assertThat(r.headers().allValues("Set-Cookie"))
                .noneMatch(c -> c.startsWith(DashboardAccess.SESSION_COOKIE + "="));
    }

    @Test
    void aLoginWithoutTheFormsCsrfValueOrFromAnotherSiteIsRefused() throws Exception {
        String[] csrf = loginForm();
        String good = form(csrf[0], DashboardServer.DASHBOARD_TOKEN);
        assertThat(server.post("/login", good).statusCode()).isEqualTo(403);
        assertThat(server.post("/login", form("forged", DashboardServer.DASHBOARD_TOKEN),
                "Cookie", csrf[1]).statusCode()).isEqualTo(403);
        HttpResponse<String> crossSite = server.post("/login", good, "Cookie", csrf[1],
                "Origin", "https://evil.example");
        assertThat(crossSite.statusCode()).isEqualTo(403);
        assertThat(crossSite.body()).contains("came from another site");
        assertThat(crossSite.headers().allValues("Set-Cookie"))
                .noneMatch(c -> c.startsWith(DashboardAccess.SESSION_COOKIE + "="));
    }

    @Test
    void aTamperedOrExpiredSessionReadsNothing() {
        DashboardAccess access = new DashboardAccess(List.of(DashboardServer.API_TOKEN::equals),
                false, List.of(DashboardServer.API_TOKEN));
        String session = access.newSession(DashboardFixture.NOW);
        assertThat(access.isValidSession(session, DashboardFixture.NOW)).isTrue();
        assertThat(access.isValidSession(session, DashboardFixture.NOW.plus(
                DashboardAccess.SESSION))).isFalse();
        String later = (Long.parseLong(session.substring(0, session.indexOf('.'))) + 86400)
                + session.substring(session.indexOf('.'));
        assertThat(access.isValidSession(later, DashboardFixture.NOW)).isFalse();
        DashboardAccess rotated = new DashboardAccess(List.of("new"::equals), false,
                List.of("new"));
        assertThat(rotated.isValidSession(session, DashboardFixture.NOW.plus(
                Duration.ofMinutes(1)))).isFalse();
    }

    @Test
    void withPublicReadPagesNeedNoLogin() throws Exception {
        try (DashboardServer open = new DashboardServer(fixture, true)) {
            HttpResponse<String> r = open.get("/waiting");
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).contains("acme/infra#42").doesNotContain("Sign out");
        }
    }
}
