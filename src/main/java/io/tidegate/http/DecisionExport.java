package io.tidegate.http;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import io.tidegate.audit.AuditJson;
import io.tidegate.audit.RedactedAuditLog;
import io.tidegate.store.AuditLog;
import io.tidegate.store.AuditPage;
import io.tidegate.store.AuditQuery;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /api/v1/decisions} organisation-wide: {@code since}, {@code until} (ISO-8601),
 * {@code environment}, {@code verdict} ({@code allow|deny|none}), {@code repo}, {@code pr},
 * oldest first. As pages ({@code limit} up to 500, {@code nextCursor} to pass as
 * {@code cursor}; stable while records are appended), or with
 * {@code Accept: application/x-ndjson} as one stream of every matching record, one JSON object
 * a line, read from the store a page at a time (any period in bounded memory). Decisions and
 * events (overrides, lock releases, policy reloads, freezes) share the stream.
 */
final class DecisionExport {
    static final String NDJSON = "application/x-ndjson";
    static final int MAX_LIMIT = 500;
    private static final Logger log = LoggerFactory.getLogger(DecisionExport.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final AuditLog audit;

    DecisionExport(AuditLog audit) {
        // a reader must not read a credential someone else wrote into a row (RedactedAuditLog)
        this.audit = RedactedAuditLog.of(Objects.requireNonNull(audit, "audit == null"));
    }

    /** Whether the request asks for this form rather than a repository's newest decisions. */
    static boolean isExport(Context ctx) {
        return Params.optional(ctx, "repo").isEmpty() || wantsNdjson(ctx)
                || java.util.stream.Stream.of("since", "until", "environment", "verdict",
                        "cursor").anyMatch(p -> Params.optional(ctx, p).isPresent());
    }

    void answer(Context ctx) throws IOException {
        AuditQuery q = query(ctx);
        if (wantsNdjson(ctx)) {
            stream(ctx, q);
            return;
        }
        AuditPage page;
        try {
            page = audit.page(q, Params.intIn(ctx, "limit", 100, 1, MAX_LIMIT));
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("cursor: " + e.getMessage()
                    + "; pass the nextCursor of a previous page");
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("decisions", page.entries().stream().map(AuditJson::of).toList());
        body.put("nextCursor", page.nextCursor().orElse(null));
        ctx.json(body);
    }

    private void stream(Context ctx, AuditQuery q) throws IOException {
        if (q.cursor().isPresent()) {
            try {
                audit.page(q, 1); // a bad cursor is a 400 before the stream starts
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest("cursor: " + e.getMessage());
            }
        }
        ctx.contentType(NDJSON);
        OutputStream out = ctx.outputStream();
        try {
            audit.forEach(q, e -> {
                try {
                    out.write(JSON.writeValueAsBytes(AuditJson.of(e)));
                    out.write('\n');
                } catch (IOException x) {
                    throw new UncheckedIOException(x);
                }
            });
            out.flush();
        } catch (RuntimeException e) {
            // the status line is sent: the only way to say "incomplete" is to break the stream
            log.error("decision export broken off: {}", e.toString());
            throw e;
        }
    }

    private static AuditQuery query(Context ctx) {
        Optional<String> repo = Params.optional(ctx, "repo");
        Optional<String> pr = Params.optional(ctx, "pr");
        if (pr.isPresent() && repo.isEmpty()) {
            throw ApiException.badRequest("pr: needs repo (owner/name)");
        }
        Optional<String> verdict = Params.optional(ctx, "verdict");
        if (verdict.isPresent() && !verdict.get().matches("allow|deny|none")) {
            throw ApiException.badRequest("verdict: expected allow, deny or none, got '"
                    + verdict.get() + "'");
        }
        return new AuditQuery(instant(ctx, "since"), instant(ctx, "until"), repo,
                pr.map(p -> Params.intIn(ctx, "pr", 0, 1, Integer.MAX_VALUE)),
                Params.optional(ctx, "environment"), verdict, Params.optional(ctx, "cursor"));
    }

    private static Optional<Instant> instant(Context ctx, String name) {
        Optional<String> v = Params.optional(ctx, name);
        try {
            return v.map(t -> OffsetDateTime.parse(t).toInstant());
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest(name + ": expected an ISO-8601 time with an offset, "
                    + "such as 2026-11-01T00:00:00Z, got '" + v.get() + "'");
        }
    }

    private static boolean wantsNdjson(Context ctx) {
        String accept = ctx.header("Accept");
        return accept != null && accept.toLowerCase(java.util.Locale.ROOT).contains(NDJSON);
    }
}
