package io.tidegate.http;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.tidegate.store.ReviewSchedule;
import io.tidegate.store.ScheduledReview;

/**
 * {@code GET /api/v1/schedule}: the next time edge of every open reviewed pull request, earliest
 * first: when its verdict will be decided again with no event, in which environment and why
 * ("production-hours opens"). PRs with no edge ahead are counted, not listed. Needs
 * {@link ReadAccess}, as the other read endpoints.
 */
public final class ScheduleRoutes implements RouteGroup {
    private final ReviewSchedule schedule;
    private final ReadAccess access;

    public ScheduleRoutes(ReviewSchedule schedule, ReadAccess access) {
        this.schedule = Objects.requireNonNull(schedule, "schedule == null");
        this.access = Objects.requireNonNull(access, "access == null");
    }

    @Override
    public void addTo(RoutesConfig routes) {
        routes.get("/api/v1/schedule", this::list);
    }

    private void list(Context ctx) {
        access.check(ctx);
        List<ScheduledReview> all = schedule.all();
        List<Map<String, Object>> edges = all.stream().filter(r -> r.dueAt().isPresent())
                .map(ScheduleRoutes::json).toList();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("edges", edges);
        body.put("pullRequests", all.size());
        ctx.json(body);
    }

    private static Map<String, Object> json(ScheduledReview r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("pullRequest", r.key());
        m.put("repo", r.repo());
        m.put("number", r.number());
        m.put("headSha", r.headSha());
        m.put("environment", r.environment());
        m.put("at", r.dueAt().orElseThrow().toString());
        m.put("why", r.why());
        m.put("reviewedAt", r.reviewedAt().toString());
        return m;
    }
}
