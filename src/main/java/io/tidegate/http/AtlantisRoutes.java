package io.tidegate.http;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeoutException;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.UploadedFile;
import io.tidegate.secret.Secret;
import io.tidegate.atlantis.ApplyResults;
import io.tidegate.atlantis.AtlantisRequestParser;
import io.tidegate.atlantis.GateAnswer;
import io.tidegate.atlantis.GateService;
import io.tidegate.atlantis.LimitedInputStream;
import io.tidegate.atlantis.MalformedPlanException;
import io.tidegate.atlantis.MalformedRequestException;
import io.tidegate.atlantis.PayloadTooLargeException;
import io.tidegate.atlantis.PlanReader;
import io.tidegate.atlantis.PlanReports;
import io.tidegate.atlantis.PlanUpload;
import io.tidegate.atlantis.RunContext;
import io.tidegate.decision.PlanChange;
import io.tidegate.infracost.InfracostParser;
import io.tidegate.infracost.InfracostReport;
import io.tidegate.infracost.MalformedInfracostException;
import io.tidegate.text.Untrusted;

/**
 * The Atlantis API, as {@code atlantis/README.md} ("Wire contract") defines it: the gate, plan
 * reports and apply results. Every route needs {@code Authorization: Bearer
 * <TIDEGATE_API_TOKEN>} (constant-time compare; 401 otherwise); with a separate apply-result
 * token ({@code TIDEGATE_APPLY_RESULT_TOKEN}) the apply-result route takes only that one and the
 * others never take it, because Atlantis sends the apply-result header to every {@code http}
 * webhook it has. Bad input is a 400 naming the
 * field, an oversized body a 413; a failure of our own dependencies stays an exception and
 * becomes a 500, which {@code tidegate-hook} treats as a denial.
 */
public final class AtlantisRoutes implements RouteGroup {
    public static final String GATE = "/api/v1/atlantis/gate";
    public static final String PLAN = "/api/v1/atlantis/plan";
    public static final String APPLY_RESULT = "/api/v1/atlantis/apply-result";
    private static final String TEXT = "text/plain; charset=utf-8";

    private final Secret apiToken;
    private final Secret applyResultToken;
    private final GateService gate;
    private final PlanReports plans;
    private final ApplyResults results;
    private final AtlantisRequestParser requests = new AtlantisRequestParser();
    private final PlanReader planReader = new PlanReader();
    private final InfracostParser infracost = new InfracostParser();

    public AtlantisRoutes(Secret apiToken, GateService gate, PlanReports plans,
            ApplyResults results) {
        this(apiToken, Secret.ABSENT, gate, plans, results);
    }

    /** {@code applyResultToken} absent: apply results use {@code apiToken} too. */
    public AtlantisRoutes(Secret apiToken, Secret applyResultToken, GateService gate,
            PlanReports plans, ApplyResults results) {
        this.apiToken = Objects.requireNonNull(apiToken, "apiToken == null");
        this.applyResultToken = Objects.requireNonNull(applyResultToken,
                "applyResultToken == null");
        this.gate = Objects.requireNonNull(gate, "gate == null");
        this.plans = Objects.requireNonNull(plans, "plans == null");
        this.results = Objects.requireNonNull(results, "results == null");
    }

    @Override
    public void addTo(RoutesConfig routes) {
        routes.post(GATE, ctx -> badInputAsApiException(() -> gate(ctx)));
        routes.post(PLAN, ctx -> badInputAsApiException(() -> plan(ctx)));
        routes.post(APPLY_RESULT, ctx -> badInputAsApiException(() -> applyResult(ctx)));
    }

    private void gate(Context ctx) throws IOException {
        authenticate(ctx, apiToken);
        GateAnswer answer = gate.decide(requests.gate(ctx.bodyInputStream()));
        ctx.status(answer.httpStatus()).contentType(TEXT).result(answer.body());
    }

    private void plan(Context ctx) throws IOException {
        authenticate(ctx, apiToken);
        if (!ctx.isMultipartFormData()) {
            throw ApiException.badRequest("expected multipart/form-data with parts meta, plan"
                    + " and optionally infracost");
        }
        requireReadableParts(ctx);
        RunContext context = meta(ctx);
        if (!context.hasPullRequestCommit()) {
            // A plan started through Atlantis's API for a branch: no pull request commit for a
            // gate to look the report up by. Not an error: the plan itself must not fail.
            ctx.status(200).contentType(TEXT).result("plan report not recorded: this run was"
                    + " started through Atlantis's API (no USER_NAME) for "
                    + Untrusted.plain(context.pull().headCommit()) + ", not for a pull request's"
                    + " head commit\n");
            return;
        }
        PlanChange change = planChange(ctx);
        Optional<InfracostReport> cost = cost(ctx);
        String summary = plans.record(new PlanUpload(context, change, cost));
        ctx.status(200).contentType(TEXT).result(summary.strip() + "\n");
    }

    private void applyResult(Context ctx) throws IOException {
        // Atlantis sends the header configured with --webhook-http-headers.
        authenticate(ctx, applyResultToken.isPresent() ? applyResultToken : apiToken);
        String note = results.record(requests.applyResult(ctx.bodyInputStream()));
        ctx.status(200).contentType(TEXT).result(note.strip() + "\n");
    }

    /**
     * Jetty parses the parts on first use; a body that is not valid multipart (no closing
     * boundary, a broken part header) is the caller's error, a 400, never a 500.
     */
    private static void requireReadableParts(Context ctx) {
        try {
            ctx.uploadedFileMap();
        } catch (Exception e) {
            if (TruncatedBody.inCauses(e, TimeoutException.class)) {
                throw new ApiException(408, "the multipart/form-data body arrived too slowly");
            }
            // an EOF here is also a body cut short of its closing boundary, so one message
            throw ApiException.badRequest("the multipart/form-data body is malformed or ended"
                    + " early (a part without its headers or the closing boundary)");
        }
        for (String name : List.of("meta", "plan", "infracost")) {
            int sent = ctx.uploadedFiles(name).size() + ctx.formParams(name).size();
            if (sent > 1) {
                // which one would be read is not for the sender to guess: neither is
                throw ApiException.badRequest(name + ": sent " + sent + " times; send each part"
                        + " once");
            }
        }
    }

    private RunContext meta(Context ctx) throws IOException {
        UploadedFile part = ctx.uploadedFile("meta");
        if (part != null) {
            try (InputStream in = part.content()) {
                return requests.planMeta(in);
            }
        }
        String field = ctx.formParam("meta");
        if (field == null) {
            throw ApiException.badRequest("meta: required part is missing");
        }
        return requests.planMeta(new java.io.ByteArrayInputStream(
                field.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    private PlanChange planChange(Context ctx) throws IOException {
        UploadedFile part = ctx.uploadedFile("plan");
        if (part == null) {
            throw ApiException.badRequest("plan: required part is missing");
        }
        try (InputStream in = limited(part, "plan")) {
            return planReader.read(in);
        } catch (MalformedPlanException e) {
            throw ApiException.badRequest("plan: " + e.getMessage());
        }
    }

    private Optional<InfracostReport> cost(Context ctx) throws IOException {
        UploadedFile part = ctx.uploadedFile("infracost");
        if (part == null) {
            return Optional.empty(); // Infracost did not run: the cost is unknown
        }
        try (InputStream in = limited(part, "infracost")) {
            return Optional.of(infracost.parse(in));
        } catch (MalformedInfracostException e) {
            throw ApiException.badRequest("infracost: " + e.getMessage());
        }
    }

    private static InputStream limited(UploadedFile part, String name) {
        return new LimitedInputStream(part.content(), name, LimitedInputStream.PLAN_LIMIT);
    }

    private static void authenticate(Context ctx, Secret token) {
        String header = ctx.header("Authorization");
        String prefix = "Bearer ";
        boolean ok = header != null && header.regionMatches(true, 0, prefix, 0, prefix.length())
                && token.matches(header.substring(prefix.length()).trim());
        if (!ok) {
            throw ApiException.unauthorized("missing or wrong API token");
        }
    }

    private interface Work {
        void run() throws IOException;
    }

    /** The one place the parsers' typed exceptions become statuses. */
    private static void badInputAsApiException(Work work) throws IOException {
        try {
            work.run();
        } catch (MalformedRequestException e) {
            throw ApiException.badRequest(e.getMessage());
        } catch (PayloadTooLargeException e) {
            throw new ApiException(413, e.getMessage());
        }
    }
}
