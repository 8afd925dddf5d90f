package io.tidegate.http;

import java.util.Optional;

import io.javalin.http.Context;

/** Query parameter parsing whose errors are 400s naming the parameter. */
final class Params {
    private Params() {}

    /** The parameter, trimmed; empty when absent or blank. */
    static Optional<String> optional(Context ctx, String name) {
        String v = ctx.queryParam(name);
        return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.trim());
    }

    static int intIn(Context ctx, String name, int fallback, int min, int max) {
        Optional<String> v = optional(ctx, name);
        if (v.isEmpty()) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(v.get());
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw ApiException.badRequest(name + ": expected a whole number from " + min + " to "
                + max + ", got '" + v.get() + "'");
    }
}
