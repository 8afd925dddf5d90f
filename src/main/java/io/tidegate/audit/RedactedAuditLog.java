package io.tidegate.audit;

import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tidegate.logging.SecretRedactor;
import io.tidegate.store.AuditEntry;
import io.tidegate.store.AuditLog;
import io.tidegate.store.AuditPage;
import io.tidegate.store.AuditQuery;
import io.tidegate.store.AuditRecord;

/**
 * The audit as it is shown to a reader: the decisions API in both forms (a repository's newest,
 * the export's pages and NDJSON stream), the dashboard's decisions page and its JSON twin, and
 * {@code tidegate audit export}. The same entries, ids and order as the log it wraps, with every
 * text a caller or PR author wrote passed through {@link SecretRedactor}: the repository,
 * head, project and environment as claimed, the actor (a freeze's {@code by}), and every string
 * and key of the facts (reasons, messages, titles, bodies). What Tidegate itself writes there
 * (command, verdict, reason codes, policy hash) is not touched. A row with nothing to mask comes
 * back byte for byte as stored.
 *
 * <p>Masked when read, not when written. The stored row is what the engine saw, and replay
 * ({@code tidegate replay}, {@code what-if}, the end-to-end suites' {@code ReplayCheck}) decides
 * again from it and compares: an actor is matched against approvers, owners and lock holders,
 * and the recorded messages quote freeze and override reasons, so a masked row could replay
 * differently or not at all. Read-time masking also covers rows stored before a secret was
 * registered (or before this class). The price: a secret no longer registered (rotated out) is
 * no longer masked in old rows, where it no longer opens anything.
 *
 * <p>Readers take the log through {@link #of}, in their constructors, so no wiring can hand them
 * the stored text. Safe for concurrent use, as the log it wraps.
 */
public final class RedactedAuditLog implements AuditLog {
    /** As {@link FactsJson} reads facts: 120.50 stays 120.50 when a row is written again. */
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .setNodeFactory(JsonNodeFactory.withExactBigDecimals(true));

    private final AuditLog stored;

    private RedactedAuditLog(AuditLog stored) {
        this.stored = Objects.requireNonNull(stored, "stored == null");
    }

    /** {@code log} as a reader may see it; a log already redacted is returned as it is. */
    public static AuditLog of(AuditLog log) {
        return log instanceof RedactedAuditLog ? log : new RedactedAuditLog(log);
    }

    @Override
    public Optional<AuditEntry> find(String id) {
        return stored.find(id).map(RedactedAuditLog::entry);
    }

    @Override
    public AuditPage page(AuditQuery query, int limit) {
        return page(stored.page(query, limit));
    }

    @Override
    public AuditPage newest(AuditQuery query, int limit) {
        return page(stored.newest(query, limit));
    }

    @Override
    public long forEach(AuditQuery query, Consumer<AuditEntry> each) {
        // the stored log's own paging (a store may read in larger pages than the default)
        return stored.forEach(query, e -> each.accept(entry(e)));
    }

    private static AuditPage page(AuditPage p) {
        return new AuditPage(p.entries().stream().map(RedactedAuditLog::entry).toList(),
                p.nextCursor());
    }

    /** The entry with its caller-written text masked; same id. */
    static AuditEntry entry(AuditEntry e) {
        AuditRecord r = e.record();
        return new AuditEntry(e.id(), new AuditRecord(r.time(), mask(r.repo()), r.pr(),
                mask(r.headSha()), mask(r.project()), mask(r.environment()), r.command(),
                mask(r.actor()), r.decision(), r.reasonCodes(), r.policyHash(),
                facts(r.factsJson())));
    }

    private static String mask(String text) {
        return SecretRedactor.redact(text);
    }

    /**
     * The facts with every string and key masked. Masked as a tree, not as text: a secret
     * holding a quote or a backslash is escaped in the JSON text, where a plain search misses it.
     */
    static String facts(String json) {
        if (json.indexOf('\\') < 0 && mask(json).equals(json)) {
            // Without an escape, every string and key stands in the text exactly as it reads,
            // so what the text does not match, no string in it matches: keep the stored bytes.
            return json;
        }
        JsonNode tree;
        try {
            tree = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            return mask(json); // not JSON (the export shows it as a string): masked as text
        }
        JsonNode masked = masked(tree);
        return masked.equals(tree) ? json : write(masked);
    }

    private static JsonNode masked(JsonNode n) {
        if (n.isTextual()) {
            return JSON.getNodeFactory().textNode(mask(n.textValue()));
        }
        if (n.isArray()) {
            ArrayNode a = JSON.createArrayNode();
            n.forEach(item -> a.add(masked(item)));
            return a;
        }
        if (n.isObject()) {
            // keys too: some are logins (teams by member); two keys masked alike keep the last
            ObjectNode o = JSON.createObjectNode();
            n.properties().forEach(f -> o.set(mask(f.getKey()), masked(f.getValue())));
            return o;
        }
        return n;
    }

    private static String write(JsonNode tree) {
        try {
            return JSON.writeValueAsString(tree);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree is always writable", e);
        }
    }
}
