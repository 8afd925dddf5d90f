package io.tidegate.http;

import java.util.Objects;
import java.util.function.Predicate;

import io.javalin.http.Context;

/**
 * Who may call the read endpoints (deployments, decisions): anyone when public read is on,
 * otherwise whoever sends {@code Authorization: Bearer <API token>}. The token check is handed
 * in ({@code Secret::matches}, a constant-time comparison) so this class never holds the token.
 */
public final class ReadAccess {
    private final Predicate<String> tokenMatches;
    private final boolean publicRead;

    public ReadAccess(Predicate<String> tokenMatches, boolean publicRead) {
        this.tokenMatches = Objects.requireNonNull(tokenMatches, "tokenMatches == null");
        this.publicRead = publicRead;
    }

    /** Throws 401 unless the request may read. */
    void check(Context ctx) {
        if (publicRead) {
            return;
        }
        String header = ctx.header("Authorization");
        String prefix = "Bearer ";
        if (header == null || !header.regionMatches(true, 0, prefix, 0, prefix.length())) {
            throw ApiException.unauthorized("missing bearer token (Authorization: Bearer ...)");
        }
        if (!tokenMatches.test(header.substring(prefix.length()).trim())) {
            throw ApiException.unauthorized("invalid API token");
        }
    }
}
