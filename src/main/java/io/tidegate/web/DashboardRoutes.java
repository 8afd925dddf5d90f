package io.tidegate.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Semaphore;

import com.fasterxml.jackson.databind.ObjectMapper;
import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.tidegate.http.HttpLimits;
import io.tidegate.http.RouteGroup;

/**
 * The dashboard over HTTP: four read-only pages ({@code /}, {@code /waiting},
 * {@code /deployments}, {@code /decisions}), each with a JSON twin under
 * {@code /api/v1/dashboard/} rendering the same read model, the login form and the stylesheet.
 * The web package's only tie to Javalin besides {@code http/}: it reads parameters and cookies,
 * checks access, and hands a read model to a precompiled jte template.
 *
 * <p>Every HTML answer carries a Content-Security-Policy that allows no script at all (the pages
 * have none), no framing, and forms only to this origin. Login: a form POST with a
 * double-submit CSRF token and a same-origin check, answered by a session cookie
 * ({@code HttpOnly; SameSite=Strict}, {@code Secure} behind TLS); the token never appears in a
 * URL, a page or a log.
 */
public final class DashboardRoutes implements RouteGroup {
    static final String CSP = "default-src 'none'; style-src 'self'; img-src 'self' data:; "
            + "form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
    private static final Set<String> PAGES = Set.of("/", "/waiting", "/deployments",
            "/decisions");

    /** The most a sign-in form's body may be: a token, the CSRF value and the next page. */
    static final long MAX_LOGIN_BYTES = 16 * 1024;

    private final Dashboard dashboard;
    private final DashboardAccess access;
    private final ObjectMapper json;
    private final TemplateEngine templates;
    private final byte[] css;
    private final Semaphore signIns = new Semaphore(HttpLimits.SIGN_IN_FORMS);

    public DashboardRoutes(Dashboard dashboard, DashboardAccess access, ObjectMapper json) {
        this.dashboard = Objects.requireNonNull(dashboard, "dashboard == null");
        this.access = Objects.requireNonNull(access, "access == null");
        this.json = Objects.requireNonNull(json, "json == null").copy()
                .registerModule(OptionalJson.module()).registerModule(MaskedOutput.json());
        this.templates = TemplateEngine.createPrecompiled(ContentType.Html);
        this.css = resource("/web/dashboard.css");
    }

    @Override
    public void addTo(RoutesConfig routes) {
        routes.get("/", ctx -> page(ctx, "now.jte", this::nowModel));
        routes.get("/waiting", ctx -> page(ctx, "waiting.jte", this::waitingModel));
        routes.get("/deployments", ctx -> page(ctx, "deployments.jte", this::deploymentsModel));
        routes.get("/decisions", ctx -> page(ctx, "decisions.jte", this::decisionsModel));
        routes.get("/api/v1/dashboard/now", ctx -> api(ctx, this::nowModel));
        routes.get("/api/v1/dashboard/waiting", ctx -> api(ctx, this::waitingModel));
        routes.get("/api/v1/dashboard/deployments", ctx -> api(ctx, this::deploymentsModel));
        routes.get("/api/v1/dashboard/decisions", ctx -> api(ctx, this::decisionsModel));
        routes.get("/login", this::loginForm);
        routes.post("/login", this::login);
        routes.post("/logout", this::logout);
        routes.get("/dashboard.css", ctx -> {
            ctx.header("Cache-Control", "public, max-age=300");
            ctx.header("X-Content-Type-Options", "nosniff");
            ctx.contentType("text/css; charset=utf-8").result(css);
        });
    }

    private interface Model {
        Object build(Query q);
    }

    private void page(Context ctx, String template, Model model) {
        secureHeaders(ctx);
        if (!mayRead(ctx)) {
            ctx.redirect("/login?next=" + ctx.path(), HttpStatus.SEE_OTHER);
            return;
        }
        Object page;
        try {
            page = model.build(new Query(ctx::queryParam));
        } catch (BadParameterException | IllegalArgumentException e) {
            ctx.status(400);
            render(ctx, "error.jte", Map.of("message", e.getMessage(), "status", 400));
            return;
        }
        Map<String, Object> params = new HashMap<>();
        params.put("page", page);
        params.put("session", !access.isPublic());
        params.put("environments", dashboard.environmentNames());
        render(ctx, template, params);
    }

    private void api(Context ctx, Model model) {
        ctx.header("Cache-Control", "no-store");
        if (!mayRead(ctx)) {
            jsonError(ctx, 401, "missing or invalid credentials (Authorization: Bearer ... "
                    + "or a dashboard session)");
            return;
        }
        Object page;
        try {
            page = model.build(new Query(ctx::queryParam));
        } catch (BadParameterException | IllegalArgumentException e) {
            jsonError(ctx, 400, e.getMessage());
            return;
        }
        try {
            ctx.contentType("application/json").result(json.writeValueAsBytes(page));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("a read model could not be written as JSON", e);
        }
    }

    /** The API's error shape ({@code {"error": ..., "status": n}}), as WebServer writes it. */
    private static void jsonError(Context ctx, int status, String message) {
        Map<String, Object> body = new java.util.LinkedHashMap<>();
        body.put("error", message);
        body.put("status", status);
        ctx.status(status).json(body);
    }

    private Object nowModel(Query q) {
        return dashboard.now(q.zone("tz"));
    }

    private Object waitingModel(Query q) {
        return dashboard.waiting(q.text("for").map(s -> s.replaceFirst("^@", "")),
                q.oneOf("environment", dashboard.environmentNames()));
    }

    private Object deploymentsModel(Query q) {
        return dashboard.deployments(new DeploymentsPage.Filter(
                q.oneOf("environment", dashboard.environmentNames()), q.repo("repo"),
                q.integer("days", 1, 90).orElse(30), q.text("cursor")));
    }

    private Object decisionsModel(Query q) {
        Optional<String> repo = q.repo("repo");
        Optional<Integer> pr = q.integer("pr", 1, Integer.MAX_VALUE);
        if (pr.isPresent() && repo.isEmpty()) {
            throw new BadParameterException("pr: needs repo (owner/name)");
        }
        ZoneId zone = dashboard.policyZone();
        DecisionsPage.Filter f = new DecisionsPage.Filter(repo, pr,
                q.text("environment"), q.oneOf("verdict", List.of("allow", "deny")),
                q.text("since"), q.text("until"), q.text("cursor"));
        return dashboard.decisions(f, q.instant("since", zone, false),
                q.instant("until", zone, true));
    }

    private boolean mayRead(Context ctx) {
        return access.mayRead(Optional.ofNullable(ctx.cookie(DashboardAccess.SESSION_COOKIE)),
                Optional.ofNullable(ctx.header("Authorization")), dashboard.instant());
    }

    private void loginForm(Context ctx) {
        secureHeaders(ctx);
        String csrf = access.newCsrfToken();
        setCookie(ctx, DashboardAccess.CSRF_COOKIE, csrf, 600);
        showLogin(ctx, csrf, Optional.empty(), nextPage(ctx.queryParam("next")));
    }

    private void showLogin(Context ctx, String csrf, Optional<String> problem, String next) {
        Map<String, Object> params = new HashMap<>();
        params.put("csrf", csrf);
        params.put("problem", problem.orElse(""));
        params.put("next", next);
        params.put("canLogIn", access.canLogIn());
        render(ctx, "login.jte", params);
    }

    /**
     * Anyone can post a sign-in form, so the forms read at once have a budget of their own
     * ({@link HttpLimits#SIGN_IN_FORMS}): bodies that never arrive hold a thread each until the
     * idle timeout, and without it they could take the permits the gate needs
     * ({@code ConcurrentBodies}).
     */
    private void login(Context ctx) {
        secureHeaders(ctx);
        if (!signIns.tryAcquire()) {
            ctx.header("Retry-After", "5").header("Connection", "close").status(503);
            render(ctx, "error.jte", Map.of("message", "Too many sign-ins at once; please try"
                    + " again in a few seconds.", "status", 503));
            return;
        }
        try {
            signIn(ctx);
        } finally {
            signIns.release();
        }
    }

    private void signIn(Context ctx) {
        if (!boundedForm(ctx)) {
            return;
        }
        String next = nextPage(ctx.formParam("next"));
        // a cross-site form post is refused before the token is even looked at
        if (!isSameOrigin(ctx) || !DashboardAccess.csrfMatches(
                Optional.ofNullable(ctx.cookie(DashboardAccess.CSRF_COOKIE)),
                Optional.ofNullable(ctx.formParam("csrf")))) {
            ctx.status(403);
            String csrf = access.newCsrfToken();
            setCookie(ctx, DashboardAccess.CSRF_COOKIE, csrf, 600);
            showLogin(ctx, csrf, Optional.of("The form expired or came from another site; "
                    + "please sign in again."), next);
            return;
        }
        if (!access.isValidToken(ctx.formParam("token"))) {
            ctx.status(401);
            String csrf = access.newCsrfToken();
            setCookie(ctx, DashboardAccess.CSRF_COOKIE, csrf, 600);
            showLogin(ctx, csrf, Optional.of("That token is not valid."), next);
            return;
        }
        setCookie(ctx, DashboardAccess.CSRF_COOKIE, "", 0);
        setCookie(ctx, DashboardAccess.SESSION_COOKIE, access.newSession(dashboard.instant()),
                (int) DashboardAccess.SESSION.toSeconds());
        ctx.redirect(next, HttpStatus.SEE_OTHER);
    }

    /**
     * The login form is three short fields, and it is posted before anyone is known: a body
     * without a length, or longer than {@link #MAX_LOGIN_BYTES}, is refused before a byte of it
     * is read. Javalin reads a form whole, up to the server's 50 MB limit for plan uploads: twelve
     * 40 MB posts at once ran a 128 MB heap out of memory.
     */
    private boolean boundedForm(Context ctx) {
        long length = ctx.contentLength();
        if (length >= 0 && length <= MAX_LOGIN_BYTES) {
            return true;
        }
        ctx.header("Connection", "close"); // the unread body is not drained
        if (length > MAX_LOGIN_BYTES) {
            ctx.status(413); // answered as every route's 413 is ("request body too large")
            return false;
        }
        ctx.status(411);
        render(ctx, "error.jte", Map.of("message",
                "A sign-in form must say its length (Content-Length).", "status", 411));
        return false;
    }

    private void logout(Context ctx) {
        secureHeaders(ctx);
        if (!isSameOrigin(ctx)) {
            ctx.status(403).html("cross-site logout refused");
            return;
        }
        setCookie(ctx, DashboardAccess.SESSION_COOKIE, "", 0);
        ctx.redirect("/login", HttpStatus.SEE_OTHER);
    }

    /** Only the dashboard's own pages: no open redirect through {@code next}. */
    private static String nextPage(String next) {
        return next != null && PAGES.contains(next) ? next : "/";
    }

    /**
     * Browsers send {@code Sec-Fetch-Site} (a header no page can set) and {@code Origin} with
     * form posts: the first, when present, decides; else the origin must name this site. A
     * client sending neither (curl) is not a browser being tricked.
     */
    static boolean isSameOrigin(Context ctx) {
        String site = ctx.header("Sec-Fetch-Site");
        if (site != null) {
            return site.equals("same-origin") || site.equals("none");
        }
        String origin = ctx.header("Origin");
        if (origin == null) {
            return true;
        }
        String host = ctx.header("X-Forwarded-Host") != null ? ctx.header("X-Forwarded-Host")
                : ctx.header("Host");
        return host != null && (origin.equals("http://" + host) || origin.equals("https://"
                + host));
    }

    /** Behind TLS (directly or as a proxy says) the cookie is {@code Secure}. */
    private static boolean isHttps(Context ctx) {
        return ctx.scheme().equals("https")
                || "https".equalsIgnoreCase(ctx.header("X-Forwarded-Proto"));
    }

    private static void setCookie(Context ctx, String name, String value, int maxAge) {
        ctx.res().addHeader("Set-Cookie", name + "=" + value + "; Path=/; Max-Age=" + maxAge
                + "; HttpOnly; SameSite=Strict" + (isHttps(ctx) ? "; Secure" : ""));
    }

    private static void secureHeaders(Context ctx) {
        ctx.header("Content-Security-Policy", CSP);
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("X-Frame-Options", "DENY");
        // same-origin, not no-referrer: with no-referrer browsers send "Origin: null" on posts
        ctx.header("Referrer-Policy", "same-origin");
        ctx.header("Cache-Control", "no-store");
    }

    private void render(Context ctx, String template, Map<String, Object> params) {
        StringOutput out = new StringOutput(16 * 1024);
        templates.render(template, params, MaskedOutput.html(out));
        ctx.contentType("text/html; charset=utf-8").result(out.toString());
    }

    private static byte[] resource(String path) {
        try (InputStream in = DashboardRoutes.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + path);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
