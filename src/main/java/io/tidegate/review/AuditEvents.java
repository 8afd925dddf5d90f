package io.tidegate.review;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.tidegate.audit.FactsJson;
import io.tidegate.store.AuditRecord;
import io.tidegate.store.AuditStore;
import io.tidegate.store.PolicyVersion;
import io.tidegate.store.PolicyVersionStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit rows that are not decisions but change what later decisions see: policy reloads,
 * lock releases and freezes (overrides are recorded where they are granted). Each is a row of
 * the same append-only audit, so an export reads one stream in time order. Event rows say
 * {@code none} for the decision and their outcome in the reason codes; their details follow
 * {@link FactsJson#event}. Safe for concurrent use.
 */
public final class AuditEvents {
    private static final Logger log = LoggerFactory.getLogger(AuditEvents.class);
    /** Who an event no person caused is recorded as. */
    static final String TIDEGATE = "tidegate";

    private final AuditStore audit;
    private final PolicyVersionStore versions;

    public AuditEvents(AuditStore audit, PolicyVersionStore versions) {
        this.audit = Objects.requireNonNull(audit, "audit == null");
        this.versions = Objects.requireNonNull(versions, "versions == null");
    }

    /**
     * A policy file version seen by the server: a loaded one is kept (from the first load on)
     * and every outcome is recorded as {@code policy-reload}. A store failure is logged, never
     * thrown: loading the policy must not depend on the store (the decision keeps the version
     * again before its row is written).
     */
    public void policyReloaded(PolicyHolder.Reload r) {
        try {
            if (!r.files().isEmpty()) {
                versions.keep(PolicyVersion.of(r.files(), r.at()));
            }
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("outcome", r.outcome());
            details.put("files", List.copyOf(new java.util.TreeSet<>(r.files().keySet())));
            details.put("was", r.was().map(s -> "sha256:" + s).orElse(null));
            details.put("problem", r.problem().orElse(null));
            audit.append(new AuditRecord(r.at(), AuditRecord.NO_REPOSITORY, 0, "", "", "", "policy-reload", TIDEGATE,
                    AuditRecord.NO_DECISION, List.of(r.outcome()),
                    "sha256:" + r.sha256().orElse("none"),
                    FactsJson.event("policy-reload", details)));
        } catch (RuntimeException e) {
            log.error("policy {} ({}) not recorded in the audit: {}", r.outcome(),
                    r.sha256().orElse("unread"), e.toString());
        }
    }

    /**
     * A deployment lock given back: {@code holder} ({@code owner/name#number}) released
     * {@code environment}'s lock because of {@code why} (the apply result).
     */
    public void lockReleased(String environment, String repo, int pr, String headSha,
            String project, String actor, String why, String policyHash, Instant at) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("holder", repo + "#" + pr);
        details.put("why", why);
        audit.append(new AuditRecord(at, repo, pr, headSha, project, environment,
                "lock-release", actor, AuditRecord.NO_DECISION, List.of("released"), policyHash,
                FactsJson.event("lock-release", details)));
    }

    /**
     * An environment frozen ({@code freeze}) or thawed ({@code unfreeze}) by hand: who, until
     * when (a freeze), and why. For the freeze commands; recorded org-wide (no repository).
     */
    public void freeze(boolean frozen, String environment, String actor, String reason,
            java.util.Optional<Instant> until, String policyHash, Instant at) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("reason", reason);
        details.put("until", until.map(Instant::toString).orElse(null));
        String kind = frozen ? "freeze" : "unfreeze";
        audit.append(new AuditRecord(at, AuditRecord.NO_REPOSITORY, 0, "", "", environment, kind, actor,
                AuditRecord.NO_DECISION, List.of(kind), policyHash,
                FactsJson.event(kind, details)));
    }
}
