package io.tidegate.web;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.tidegate.store.AuditEntry;
import io.tidegate.store.AuditPage;
import io.tidegate.store.AuditQuery;

/**
 * "Decisions" ({@code /decisions} and {@code GET /api/v1/dashboard/decisions}): one page of the
 * audit trail, newest first, with filters, each decision with its reason codes, the policy
 * version it used, its facts (pretty-printed, cut at {@link #FACTS_SHOWN} characters so a page
 * stays small) and the command that replays it.
 */
public record DecisionsPage(Header header, Filter filter, List<Row> rows,
        Optional<String> nextCursor) {
    /** Characters of facts JSON shown per decision; the API has them whole. */
    static final int FACTS_SHOWN = 2000;
    private static final ObjectMapper PRETTY = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT);

    public DecisionsPage {
        Objects.requireNonNull(header, "header == null");
        Objects.requireNonNull(filter, "filter == null");
        rows = List.copyOf(rows);
    }

    /** The filters as given (text, so the form shows them back). */
    public record Filter(Optional<String> repo, Optional<Integer> pr, Optional<String> environment,
            Optional<String> verdict, Optional<String> since, Optional<String> until,
            Optional<String> cursor) {}

    /**
     * One decision. {@code replay} is the command line that re-decides it
     * ({@code tidegate replay <id>}).
     */
    public record Row(String id, Instant time, String repo, int pr, String headSha,
            String project, String environment, String command, String actor, String verdict,
            List<String> reasonCodes, String policyHash, String facts, boolean factsCut,
            String replay) {}

    static DecisionsPage build(Header header, Filter filter, AuditPage page) {
        List<Row> rows = page.entries().stream().map(DecisionsPage::row).toList();
        return new DecisionsPage(header, filter, rows, page.nextCursor());
    }

    private static Row row(AuditEntry e) {
        var r = e.record();
        String facts = pretty(r.factsJson());
        boolean cut = facts.length() > FACTS_SHOWN;
        return new Row(e.id(), r.time(), r.repo(), r.pr(), r.headSha(), r.project(),
                r.environment(), r.command(), r.actor(), r.decision(), r.reasonCodes(),
                r.policyHash(), cut ? facts.substring(0, FACTS_SHOWN) : facts, cut,
                "tidegate replay " + e.id());
    }

    private static String pretty(String json) {
        try {
            JsonNode n = PRETTY.readTree(json);
            return PRETTY.writeValueAsString(n);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return json;
        }
    }

    /**
     * The audit query of these filters, {@code from}/{@code until} already parsed: the same
     * read path as export and replay ({@link io.tidegate.store.AuditLog#newest}), so a row's id
     * is the one {@code tidegate replay} takes.
     */
    static AuditQuery query(Filter f, Optional<Instant> from, Optional<Instant> until) {
        if (f.pr().isPresent() && f.repo().isEmpty()) {
            throw new IllegalArgumentException("pr needs repo");
        }
        return new AuditQuery(from, until, f.repo(), f.pr(), f.environment(), f.verdict(),
                f.cursor());
    }
}
