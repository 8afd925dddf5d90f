package io.tidegate.http;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.tidegate.audit.RedactedAuditLog;
import io.tidegate.store.AuditEntry;
import io.tidegate.store.AuditLog;
import io.tidegate.store.AuditQuery;
import io.tidegate.store.AuditRecord;
import io.tidegate.store.Deployment;
import io.tidegate.store.DeploymentPage;
import io.tidegate.store.DeploymentQuery;
import io.tidegate.store.DeploymentStats;
import io.tidegate.store.DeploymentStore;

/**
 * Read-only history: deployments (seed 001's history and statistics API) and the decision
 * audit. Every route needs {@link ReadAccess}; a bad query parameter is a 400 naming it.
 */
public final class DeploymentRoutes implements RouteGroup {
    static final int DEFAULT_LIMIT = 50;
    static final int MAX_DAYS = 90;
    private static final com.fasterxml.jackson.databind.ObjectMapper FACTS =
            new com.fasterxml.jackson.databind.ObjectMapper();

    private final DeploymentStore deployments;
    private final AuditLog auditLog;
    private final DecisionExport export;
    private final ReadAccess access;
    private final Clock clock;

    public DeploymentRoutes(DeploymentStore deployments, AuditLog auditLog, ReadAccess access,
            Clock clock) {
        this.deployments = Objects.requireNonNull(deployments, "deployments == null");
        // a reader (with TIDEGATE_PUBLIC_READ, anyone) must not read a credential someone else
        // wrote into a row: both forms read the audit masked (RedactedAuditLog)
        this.auditLog = RedactedAuditLog.of(Objects.requireNonNull(auditLog, "auditLog == null"));
        this.export = new DecisionExport(this.auditLog);
        this.access = Objects.requireNonNull(access, "access == null");
        this.clock = Objects.requireNonNull(clock, "clock == null");
    }

    @Override
    public void addTo(RoutesConfig routes) {
        // stats before {id}, so "stats" is never taken for a deployment id
        routes.get("/api/v1/deployments/stats", this::stats);
        routes.get("/api/v1/deployments/{id}", this::one);
        routes.get("/api/v1/deployments", this::list);
        routes.get("/api/v1/decisions", this::decisions);
    }

    private void list(Context ctx) {
        access.check(ctx);
        int limit = Params.intIn(ctx, "limit", DEFAULT_LIMIT, 1, DeploymentQuery.MAX_LIMIT);
        DeploymentQuery q = new DeploymentQuery(Params.optional(ctx, "environment"),
                Params.optional(ctx, "repo"), limit, Params.optional(ctx, "cursor"));
        DeploymentPage page;
        try {
            page = deployments.list(q);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("cursor: " + e.getMessage()
                    + "; pass the nextCursor of a previous page");
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("deployments", page.items().stream().map(DeploymentStats::json).toList());
        body.put("nextCursor", page.nextCursor().orElse(null));
        ctx.json(body);
    }

    private void one(Context ctx) {
        access.check(ctx);
        String id = ctx.pathParam("id");
        Deployment d = deployments.get(id)
                .orElseThrow(() -> ApiException.notFound("no deployment with id '" + id + "'"));
        ctx.json(DeploymentStats.json(d));
    }

    private void stats(Context ctx) {
        access.check(ctx);
        Optional<String> env = Params.optional(ctx, "environment");
        int days = Params.intIn(ctx, "days", 30, 1, MAX_DAYS);
        Instant now = clock.instant();
        List<Deployment> recent = deployments.startedSince(env,
                DeploymentStats.needsSince(now, days));
        ctx.json(DeploymentStats.of(env, recent, now, days).toJson());
    }

    private void decisions(Context ctx) throws java.io.IOException {
        access.check(ctx);
        if (DecisionExport.isExport(ctx)) {
            export.answer(ctx);
            return;
        }
        // a repository's newest decisions, newest first (the first form of this route)
        String repo = Params.optional(ctx, "repo").orElseThrow(() -> ApiException.badRequest(
                "repo: required (owner/name)"));
        int limit = Params.intIn(ctx, "limit", 100, 1, 500);
        Optional<String> pr = Params.optional(ctx, "pr");
        // the one audit read path (as export, replay and the dashboard): the same ids
        AuditQuery q = pr.isPresent() ? AuditQuery.all().pullRequest(repo,
                Params.intIn(ctx, "pr", 0, 1, Integer.MAX_VALUE)) : AuditQuery.all().repo(repo);
        List<AuditEntry> entries = auditLog.newest(q, limit).entries();
        ctx.json(Map.of("decisions", entries.stream().map(DeploymentRoutes::json).toList()));
    }

    private static Map<String, Object> json(AuditEntry e) {
        AuditRecord r = e.record();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", e.id());
        m.put("time", r.time().toString());
        m.put("repo", r.repo());
        m.put("pr", r.pr());
        m.put("headSha", r.headSha());
        m.put("project", r.project());
        m.put("environment", r.environment());
        m.put("command", r.command());
        m.put("actor", r.actor());
        m.put("decision", r.decision());
        m.put("reasonCodes", r.reasonCodes());
        m.put("policyHash", r.policyHash());
        m.put("facts", facts(r.factsJson())); // masked already, as the fields above
        return m;
    }

    /** The stored facts as JSON; text that is somehow not JSON stays a string. */
    private static Object facts(String json) {
        try {
            return FACTS.readTree(json);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return json;
        }
    }
}
