package io.tidegate.http;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.tidegate.decision.Freeze;
import io.tidegate.review.EnvironmentControl;
import io.tidegate.store.HeldLock;
import io.tidegate.text.JsonProblem;

/**
 * Environment actions for operators and their automation (a change calendar, an incident bot):
 * <ul>
 *   <li>{@code POST /api/v1/environments/{env}/freeze} with
 *       {@code {"by": "login", "reason": "...", "until": "2026-12-27T09:00+09:00",
 *       "overridable": false}} ({@code until} optional: open-ended; without an offset it is
 *       local time in the environment's window zone, else the policy's): 201 with the freeze.</li>
 *   <li>{@code DELETE /api/v1/environments/{env}/freeze?by=login}: 200 with the freeze lifted,
 *       404 when none was in force.</li>
 *   <li>{@code DELETE /api/v1/environments/{env}/lock?by=login&reason=...}: 200 with the lock
 *       released, 404 when it was free.</li>
 * </ul>
 * Every route needs {@code Authorization: Bearer <TIDEGATE_API_TOKEN>} (401 otherwise): the token
 * is the operator's authority, so {@code freeze.by} roles are not checked here; {@code by} names
 * who asked, for the audit row and the notification. An unknown environment is a 404, bad input
 * a 400 naming the field.
 */
public final class EnvironmentRoutes implements RouteGroup {
    static final int MAX_BODY = 16 * 1024;
    static final int MAX_TEXT = 500;
    /**
     * A field given twice, or anything after the object, is refused: which "by" was meant is
     * not for the server to guess (Jackson kept the last one silently).
     */
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private final Predicate<String> tokenMatches;
    private final EnvironmentControl control;

    public EnvironmentRoutes(Predicate<String> tokenMatches, EnvironmentControl control) {
        this.tokenMatches = Objects.requireNonNull(tokenMatches, "tokenMatches == null");
        this.control = Objects.requireNonNull(control, "control == null");
    }

    @Override
    public void addTo(RoutesConfig routes) {
        routes.post("/api/v1/environments/{env}/freeze", this::freeze);
        routes.delete("/api/v1/environments/{env}/freeze", this::unfreeze);
        routes.delete("/api/v1/environments/{env}/lock", this::unlock);
    }

    private void freeze(Context ctx) throws IOException {
        new ReadAccess(tokenMatches, false).check(ctx);
        String env = environment(ctx);
        JsonNode body = body(ctx);
        String by = text(body, "by", true).orElseThrow();
        String reason = text(body, "reason", true).orElseThrow();
        Optional<Instant> until = text(body, "until", false).map(u -> at(u, env));
        JsonNode o = body.path("overridable");
        if (!o.isMissingNode() && !o.isNull() && !o.isBoolean()) {
            throw ApiException.badRequest("overridable: expected true or false");
        }
        EnvironmentControl.Done<Freeze> done = act(() -> control.freeze(env, until, reason,
                o.asBoolean(false), EnvironmentControl.Asked.api(by)));
        ctx.status(201).json(freezeJson(done.what(), done.reviewed()));
    }

    private void unfreeze(Context ctx) {
        new ReadAccess(tokenMatches, false).check(ctx);
        String env = environment(ctx);
        String by = param(ctx, "by", true).orElseThrow();
        EnvironmentControl.Done<Optional<Freeze>> done = act(() -> control.unfreeze(env,
                EnvironmentControl.Asked.api(by)));
        Freeze ended = done.what().orElseThrow(() -> ApiException.notFound(
                "environment '" + env + "' is not frozen"));
        ctx.json(freezeJson(ended, done.reviewed()));
    }

    private void unlock(Context ctx) {
        new ReadAccess(tokenMatches, false).check(ctx);
        String env = environment(ctx);
        String by = param(ctx, "by", true).orElseThrow();
        String reason = param(ctx, "reason", true).orElseThrow();
        EnvironmentControl.Done<Optional<HeldLock>> done = act(() -> control.unlock(env, reason,
                EnvironmentControl.Asked.api(by)));
        HeldLock released = done.what().orElseThrow(() -> ApiException.notFound(
                "the apply lock of environment '" + env + "' is not held"));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("environment", env);
        out.put("releasedHolder", released.owner());
        out.put("acquiredAt", released.acquiredAt().toString());
        out.put("expiresAt", released.expiresAt().toString());
        out.put("reReviewed", done.reviewed());
        ctx.json(out);
    }

    private String environment(Context ctx) {
        String env = ctx.pathParam("env");
        if (!control.environments().contains(env)) {
            throw ApiException.notFound("the policy has no environment '" + env
                    + "' (environments: " + String.join(", ", control.environments()) + ")");
        }
        return env;
    }

    private Instant at(String text, String env) {
        try {
            return EnvironmentControl.instant(text, control.zoneOf(env));
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("until: " + e.getMessage());
        }
    }

    /** The control's refusals (an end in the past, too far ahead) are the caller's mistake. */
    private static <T> T act(java.util.function.Supplier<T> action) {
        try {
            return action.get();
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
    }

    private static JsonNode body(Context ctx) throws IOException {
        byte[] bytes;
        try (InputStream in = ctx.bodyInputStream()) {
            bytes = in.readNBytes(MAX_BODY + 1);
        }
        if (bytes.length > MAX_BODY) {
            throw new ApiException(413, "the body is larger than " + MAX_BODY + " bytes");
        }
        try {
            JsonNode node = JSON.readTree(bytes);
            if (node == null || !node.isObject()) {
                throw ApiException.badRequest("expected a JSON object");
            }
            return node;
        } catch (JsonProcessingException e) {
            // only where, which limit or which field name: Jackson's message may quote the body
            throw ApiException.badRequest(JsonProblem.limitExceeded(e)
                    .or(() -> JsonProblem.duplicateField(e))
                    .map(problem -> "malformed JSON: " + problem)
                    .orElseGet(() -> "malformed JSON" + JsonProblem.where(e.getLocation())));
        }
    }

    private static Optional<String> text(JsonNode body, String field, boolean required) {
        JsonNode v = body.path(field);
        if (v.isMissingNode() || v.isNull()) {
            if (required) {
                throw ApiException.badRequest(field + ": required");
            }
            return Optional.empty();
        }
        if (!v.isTextual()) {
            throw ApiException.badRequest(field + ": expected a string");
        }
        return Optional.of(checked(field, v.asText()));
    }

    private static Optional<String> param(Context ctx, String name, boolean required) {
        Optional<String> v = Params.optional(ctx, name);
        if (v.isEmpty() && required) {
            throw ApiException.badRequest(name + ": required query parameter");
        }
        return v.map(x -> checked(name, x));
    }

    /** Non-blank, one line, at most {@value #MAX_TEXT} characters: it goes to Slack and audit. */
    private static String checked(String field, String value) {
        String v = value.strip();
        if (v.isEmpty()) {
            throw ApiException.badRequest(field + ": must not be blank");
        }
        if (v.length() > MAX_TEXT) {
            throw ApiException.badRequest(field + ": at most " + MAX_TEXT + " characters");
        }
        if (v.chars().anyMatch(Character::isISOControl)) {
            throw ApiException.badRequest(field + ": must be one line without control "
                    + "characters");
        }
        return v;
    }

    private static Map<String, Object> freezeJson(Freeze f, int reviewed) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("environment", f.environment());
        out.put("by", f.by());
        out.put("reason", f.reason());
        out.put("since", f.since().toString());
        out.put("until", f.until().map(Instant::toString).orElse(null));
        out.put("overridable", f.overridable());
        out.put("reReviewed", reviewed);
        return out;
    }
}
