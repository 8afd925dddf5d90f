package io.tidegate.audit;

import java.util.LinkedHashMap;
import java.util.Map;

import io.tidegate.store.AuditEntry;
import io.tidegate.store.AuditRecord;

/**
 * One audit entry as the export writes it (the API's pages, its NDJSON stream and
 * {@code tidegate audit export} share it): id, kind ({@code decision}, {@code override},
 * {@code lock-release}, {@code policy-reload}, {@code freeze}, {@code unfreeze}), the row's
 * fields, and the facts as JSON ({@link FactsJson}).
 */
public final class AuditJson {
    private AuditJson() {}

    public static Map<String, Object> of(AuditEntry e) {
        AuditRecord r = e.record();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", e.id());
        m.put("kind", r.kind());
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
        m.put("facts", FactsJson.tree(r.factsJson()));
        return m;
    }
}
