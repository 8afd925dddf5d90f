package io.tidegate.audit;

import java.io.IOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.tidegate.decision.Command;
import io.tidegate.decision.CostChange;
import io.tidegate.decision.Decision;
import io.tidegate.decision.Facts;
import io.tidegate.decision.Lock;
import io.tidegate.decision.LockRace;
import io.tidegate.decision.Override;
import io.tidegate.decision.PlanChange;
import io.tidegate.decision.ProjectRef;
import io.tidegate.decision.ProjectReport;
import io.tidegate.decision.PullRequest;
import io.tidegate.decision.GateRefusal;
import io.tidegate.decision.ReasonCode;
import io.tidegate.decision.Review;
import io.tidegate.decision.ResourceChange;
import io.tidegate.decision.Freeze;
import io.tidegate.decision.OwnedFile;
import io.tidegate.decision.PriorApply;
import io.tidegate.store.AuditRecord;

/**
 * The facts JSON of audit rows: written by the recorder, read back by replay and what-if. The
 * schema is versioned ({@code schemaVersion}); rows of every earlier version still read.
 *
 * <p><b>Schema 2</b> (this version), a decision row:
 * <pre>
 * { "schemaVersion": 2,
 *   "now": "2026-11-23T01:00:00Z",              the instant the engine decided at
 *   "command": "APPLY", "actor": "lead-park",
 *   "project": {"name", "dir", "workspace"},
 *   "pullRequest": {"repo", "number", "base", "headSha", "author", "draft", "labels": [],
 *                   "body", "title"},
 *   "teams": {"login": ["org/team", ...]},      memberships as the engine saw them
 *   "reviews": [{"user", "state", "commitSha", "submittedAt" (null: unknown)}],
 *   "reports": [{"project", "commitSha", "recordedAt",
 *                "cost": {"monthlyIncrease", "monthlyTotal"} (decimals; null: unknown),
 *                "plan": {"createdByType", "updatedByType", "deletedByType"} (null: unknown)}],
 *   "replacedReports": [ same as reports ],
 *   "overrides": [{"user", "commitSha", "at", "reason"}],
 *   "locks": [{"environment", "holder"}],
 *   "policyFileProblem": null,                 the file problem the engine was told of
 *   "lockRace": null | {"holder", "expiresAt"},   a lock another PR won after the allow
 *   "outcome": {"decision": "deny", "reasons": [{"code", "message", "remedy"}]} }
 * </pre>
 * The policy version is the row's {@code policyHash}. A gate refusal (the engine was not asked)
 * is {@code {"schemaVersion": 2, "now", "refused": why, "claimed": {facts as above}}}, its code
 * the row's only reason code. An event row ({@code override}, {@code lock-release},
 * {@code policy-reload}, {@code freeze}, {@code unfreeze}) is
 * {@code {"schemaVersion": 2, "kind": ..., details}}.
 *
 * <p><b>Schema 1</b> (no {@code schemaVersion}; rows before replay existed) is schema 2 without
 * {@code now} (the row's time is that instant), {@code policyFileProblem}, {@code lockRace} and
 * {@code outcome} (the row keeps the reason codes, not the messages). Its oldest rows may also
 * lack {@code pullRequest.title}, {@code reviews[].submittedAt}, {@code reports[].recordedAt}
 * and {@code replacedReports}: they read as unknown or empty, which is what the engine of
 * their time saw. A field any schema requires that is missing is named by its path.
 *
 * <p>A new component of {@link Facts} needs a line in the reader and the writer here, and a
 * schema version when it changes what old rows mean ({@code FactsJsonTest} fails until then).
 */
public final class FactsJson {
    public static final int SCHEMA_VERSION = 2;
    private static final ObjectMapper JSON = mapper();

    private FactsJson() {}

    /** The row of an engine decision. */
    public static String decision(Facts facts, Decision decision, Instant now,
            Optional<String> policyProblem, Optional<LockRace> lockRace) {
        List<ReasonRow> reasons = decision.reasons().stream()
                .map(r -> new ReasonRow(r.key(), r.message(), r.remedy().orElse(null)))
                .toList();
        // Written straight to text: a tree of the facts first, then its text, was a tenth of a
        // gate decision's CPU (issue 19). The fields and their order are the tree's.
        try {
            return JSON.writeValueAsString(new DecisionRow(SCHEMA_VERSION, now.toString(), facts,
                    policyProblem.orElse(null), lockRace, new OutcomeRow(
                            decision.isAllowed() ? "allow" : "deny", reasons)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a decision row is always writable", e);
        }
    }

    /** A decision row: the header, every component of the facts, then what came of them. */
    private record DecisionRow(int schemaVersion, String now, @JsonUnwrapped Facts facts,
            String policyFileProblem, Optional<LockRace> lockRace, OutcomeRow outcome) {}

    private record OutcomeRow(String decision, List<ReasonRow> reasons) {}

    private record ReasonRow(String code, String message, String remedy) {}

    /** The row of a gate refusal: what Atlantis claimed and why the gate refused. */
    public static String refusal(Facts claimed, String why, Instant now) {
        ObjectNode root = header(now);
        root.put("refused", why);
        root.set("claimed", JSON.valueToTree(claimed));
        return write(root);
    }

    /** The details of an event row. */
    public static String event(String kind, Map<String, ?> details) {
        ObjectNode root = JSON.createObjectNode();
        root.put("schemaVersion", SCHEMA_VERSION);
        root.put("kind", kind);
        root.setAll((ObjectNode) JSON.valueToTree(details));
        return write(root);
    }

    /** The JSON tree of a row's facts (for export); text that is not JSON stays text. */
    public static JsonNode tree(String factsJson) {
        try {
            return JSON.readTree(factsJson);
        } catch (JsonProcessingException e) {
            return JSON.getNodeFactory().textNode(factsJson);
        }
    }

    /** Reads a decision row back; {@link FactsSchemaException} names what is missing. */
    public static RecordedDecision read(AuditRecord row) throws FactsSchemaException {
        JsonNode root;
        try {
            root = JSON.readTree(row.factsJson());
        } catch (JsonProcessingException e) {
            throw new FactsSchemaException("the facts are not JSON: "
                    + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw new FactsSchemaException("the facts are not a JSON object");
        }
        int version = root.path("schemaVersion").asInt(1);
        if (version > SCHEMA_VERSION) {
            throw new FactsSchemaException("the facts have schema " + version + ", newer than "
                    + "this Tidegate reads (" + SCHEMA_VERSION + "): use a newer Tidegate");
        }
        return new Reader(version).decision(root, row);
    }

    private static ObjectNode header(Instant now) {
        ObjectNode root = JSON.createObjectNode();
        root.put("schemaVersion", SCHEMA_VERSION);
        root.put("now", now.toString());
        return root;
    }

    private static String write(JsonNode node) {
        try {
            return JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree is always writable", e);
        }
    }

    private static ObjectMapper mapper() {
        ObjectMapper m = new ObjectMapper()
                .registerModule(new JavaTimeModule())
                .registerModule(new SimpleModule().addSerializer(new OptionalAsNullable()))
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
        // 120.50 stays 120.50 (messages print amounts as recorded)
        m.setNodeFactory(JsonNodeFactory.withExactBigDecimals(true));
        return m;
    }

    /** Writes an {@code Optional} as its value, or {@code null} when empty. */
    @SuppressWarnings("rawtypes")
    private static final class OptionalAsNullable extends StdSerializer<Optional> {
        OptionalAsNullable() {
            super(Optional.class);
        }

        @java.lang.Override
        public void serialize(Optional value, JsonGenerator gen, SerializerProvider provider)
                throws IOException {
            if (value.isPresent()) {
                provider.defaultSerializeValue(value.get(), gen);
            } else {
                gen.writeNull();
            }
        }
    }

    /** One read of one row: the schema version decides which fields may be missing. */
    private static final class Reader {
        private final int version;

        Reader(int version) {
            this.version = version;
        }

        RecordedDecision decision(JsonNode root, AuditRecord row) throws FactsSchemaException {
            Instant now = version >= 2 ? instant(need(root, "now", ""), "now") : row.time();
            if (root.has("refused")) {
                Facts claimed = facts(need(root, "claimed", ""), "claimed.");
                return new RecordedDecision(version, claimed, now, Optional.empty(),
                        Optional.empty(), Optional.empty(), Optional.of(
                                new RecordedDecision.Refusal(refusalCode(row),
                                        text(need(root, "refused", ""), "refused"))));
            }
            Facts facts = facts(root, "");
            if (version < 2) {
                return new RecordedDecision(version, facts, now, Optional.empty(),
                        Optional.empty(), Optional.empty(), Optional.empty());
            }
            return new RecordedDecision(version, facts, now,
                    nullableText(need(root, "policyFileProblem", ""), "policyFileProblem"),
                    lockRace(need(root, "lockRace", "")),
                    Optional.of(reasons(need(need(root, "outcome", ""), "reasons", "outcome."))),
                    Optional.empty());
        }

        /** The row's one code, which must be a gate refusal's ({@link GateRefusal}). */
        private static ReasonCode refusalCode(AuditRecord row) throws FactsSchemaException {
            String code = row.reasonCodes().isEmpty() ? "" : row.reasonCodes().get(0);
            Optional<ReasonCode> refusal = ReasonCode.fromKey(code)
                    .filter(ReasonCode::isGateRefusal);
            if (row.reasonCodes().size() != 1 || refusal.isEmpty()) {
                throw new FactsSchemaException("a gate refusal's row has reason codes "
                        + row.reasonCodes() + ", expected one of "
                        + java.util.Arrays.stream(ReasonCode.values())
                                .filter(ReasonCode::isGateRefusal).map(ReasonCode::key)
                                .toList());
            }
            return refusal.get();
        }

        private Facts facts(JsonNode n, String at) throws FactsSchemaException {
            String cmd = text(need(n, "command", at), at + "command");
            Command command;
            try {
                command = Command.valueOf(cmd.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw wrong(at + "command", "PLAN or APPLY", cmd);
            }
            return new Facts(command, project(need(n, "project", at), at + "project."),
                    pullRequest(need(n, "pullRequest", at), at + "pullRequest."),
                    text(need(n, "actor", at), at + "actor"),
                    teams(need(n, "teams", at), at + "teams"),
                    reviews(need(n, "reviews", at), at + "reviews"),
                    reports(need(n, "reports", at), at + "reports"),
                    overrides(need(n, "overrides", at), at + "overrides"),
                    locks(need(n, "locks", at), at + "locks"),
                    version < 2 && !n.has("replacedReports") ? List.of()
                            : reports(need(n, "replacedReports", at), at + "replacedReports"),
                    n.hasNonNull("headTree") ? Optional.of(text(n.get("headTree"),
                            at + "headTree")) : Optional.empty(),
                    n.has("applies") ? applies(n.get("applies"), at + "applies") : List.of(),
                    n.hasNonNull("ownedFiles") ? Optional.of(ownedFiles(n.get("ownedFiles"),
                            at + "ownedFiles")) : Optional.empty(),
                    n.has("freezes") ? freezes(n.get("freezes"), at + "freezes") : List.of());
        }

        // headTree, applies, ownedFiles and freezes came with promotion, code owners and
        // on-demand freezes: a row without them was decided without them (none, unknown).

        private List<PriorApply> applies(JsonNode n, String at) throws FactsSchemaException {
            List<PriorApply> out = new ArrayList<>();
            for (int i = 0; i < array(n, at).size(); i++) {
                JsonNode a = n.get(i);
                String p = at + "[" + i + "].";
                JsonNode number = need(a, "pullNumber", p);
                if (!number.canConvertToInt()) {
                    throw wrong(p + "pullNumber", "a whole number", number.toString());
                }
                out.add(new PriorApply(text(need(a, "environment", p), p + "environment"),
                        text(need(a, "repo", p), p + "repo"), number.asInt(),
                        text(need(a, "commitSha", p), p + "commitSha"),
                        nullableText(need(a, "treeSha", p), p + "treeSha"),
                        instant(need(a, "finishedAt", p), p + "finishedAt")));
            }
            return out;
        }

        private List<OwnedFile> ownedFiles(JsonNode n, String at) throws FactsSchemaException {
            List<OwnedFile> out = new ArrayList<>();
            for (int i = 0; i < array(n, at).size(); i++) {
                JsonNode f = n.get(i);
                String p = at + "[" + i + "].";
                out.add(new OwnedFile(text(need(f, "path", p), p + "path"),
                        new java.util.LinkedHashSet<>(texts(need(f, "owners", p), p + "owners"))));
            }
            return out;
        }

        private List<Freeze> freezes(JsonNode n, String at) throws FactsSchemaException {
            List<Freeze> out = new ArrayList<>();
            for (int i = 0; i < array(n, at).size(); i++) {
                JsonNode f = n.get(i);
                String p = at + "[" + i + "].";
                out.add(new Freeze(text(need(f, "environment", p), p + "environment"),
                        text(need(f, "by", p), p + "by"), text(need(f, "reason", p), p + "reason"),
                        instant(need(f, "since", p), p + "since"),
                        optionalInstant(need(f, "until", p), p + "until"),
                        bool(need(f, "overridable", p), p + "overridable")));
            }
            return out;
        }

        private List<ResourceChange> changes(JsonNode n, String at) throws FactsSchemaException {
            List<ResourceChange> out = new ArrayList<>();
            for (int i = 0; i < array(n, at).size(); i++) {
                JsonNode c = n.get(i);
                String p = at + "[" + i + "].";
                java.util.Set<ResourceChange.Action> actions =
                        java.util.EnumSet.noneOf(ResourceChange.Action.class);
                for (String a : texts(need(c, "actions", p), p + "actions")) {
                    try {
                        actions.add(ResourceChange.Action.valueOf(a));
                    } catch (IllegalArgumentException e) {
                        throw wrong(p + "actions", "CREATE, UPDATE, DELETE or REPLACE", a);
                    }
                }
                out.add(new ResourceChange(text(need(c, "address", p), p + "address"),
                        text(need(c, "type", p), p + "type"), actions));
            }
            return out;
        }

        private ProjectRef project(JsonNode n, String at) throws FactsSchemaException {
            return new ProjectRef(text(need(n, "name", at), at + "name"),
                    text(need(n, "dir", at), at + "dir"),
                    text(need(n, "workspace", at), at + "workspace"));
        }

        private PullRequest pullRequest(JsonNode n, String at) throws FactsSchemaException {
            JsonNode number = need(n, "number", at);
            if (!number.canConvertToInt()) {
                throw wrong(at + "number", "a whole number", number.toString());
            }
            String title = version < 2 && !n.has("title") ? ""
                    : text(need(n, "title", at), at + "title");
            return new PullRequest(text(need(n, "repo", at), at + "repo"), number.asInt(),
                    text(need(n, "base", at), at + "base"),
                    text(need(n, "headSha", at), at + "headSha"),
                    text(need(n, "author", at), at + "author"),
                    bool(need(n, "draft", at), at + "draft"),
                    new LinkedHashSet<>(texts(need(n, "labels", at), at + "labels")),
                    text(need(n, "body", at), at + "body"), title);
        }

        private Map<String, Set<String>> teams(JsonNode n, String at)
                throws FactsSchemaException {
            if (!n.isObject()) {
                throw wrong(at, "an object", n.getNodeType().toString());
            }
            Map<String, Set<String>> out = new HashMap<>();
            for (Map.Entry<String, JsonNode> e : n.properties()) {
                out.put(e.getKey(), new LinkedHashSet<>(texts(e.getValue(),
                        at + "." + e.getKey())));
            }
            return out;
        }

        private List<Review> reviews(JsonNode n, String at) throws FactsSchemaException {
            List<Review> out = new ArrayList<>();
            for (int i = 0; i < array(n, at).size(); i++) {
                JsonNode r = n.get(i);
                String p = at + "[" + i + "].";
                String state = text(need(r, "state", p), p + "state");
                Review.State s;
                try {
                    s = Review.State.valueOf(state);
                } catch (IllegalArgumentException e) {
                    throw wrong(p + "state", "a GitHub review state", state);
                }
                Optional<Instant> submitted = version < 2 && !r.has("submittedAt")
                        ? Optional.empty() : optionalInstant(need(r, "submittedAt", p),
                                p + "submittedAt");
                out.add(new Review(text(need(r, "user", p), p + "user"), s,
                        text(need(r, "commitSha", p), p + "commitSha"), submitted));
            }
            return out;
        }

        private List<ProjectReport> reports(JsonNode n, String at) throws FactsSchemaException {
            List<ProjectReport> out = new ArrayList<>();
            for (int i = 0; i < array(n, at).size(); i++) {
                JsonNode r = n.get(i);
                String p = at + "[" + i + "].";
                Optional<Instant> recorded = version < 2 && !r.has("recordedAt")
                        ? Optional.empty() : optionalInstant(need(r, "recordedAt", p),
                                p + "recordedAt");
                out.add(new ProjectReport(project(need(r, "project", p), p + "project."),
                        text(need(r, "commitSha", p), p + "commitSha"),
                        cost(need(r, "cost", p), p + "cost."),
                        plan(need(r, "plan", p), p + "plan."), recorded));
            }
            return out;
        }

        private Optional<CostChange> cost(JsonNode n, String at) throws FactsSchemaException {
            if (n.isNull()) {
                return Optional.empty();
            }
            // currency came with the policy's currency key: a row without it was priced in USD
            Optional<String> currency = n.hasNonNull("currency")
                    ? Optional.of(text(n.get("currency"), at + "currency")) : Optional.empty();
            return Optional.of(new CostChange(
                    decimal(need(n, "monthlyIncrease", at), at + "monthlyIncrease"),
                    decimal(need(n, "monthlyTotal", at), at + "monthlyTotal"), currency));
        }

        private Optional<PlanChange> plan(JsonNode n, String at) throws FactsSchemaException {
            if (n.isNull()) {
                return Optional.empty();
            }
            if (n.hasNonNull("changes")) {
                // plan rules read every change; the counts follow from them
                return Optional.of(PlanChange.of(changes(n.get("changes"), at + "changes")));
            }
            return Optional.of(new PlanChange(
                    counts(need(n, "createdByType", at), at + "createdByType"),
                    counts(need(n, "updatedByType", at), at + "updatedByType"),
                    counts(need(n, "deletedByType", at), at + "deletedByType")));
        }

        private Map<String, Integer> counts(JsonNode n, String at) throws FactsSchemaException {
            if (!n.isObject()) {
                throw wrong(at, "an object of counts", n.getNodeType().toString());
            }
            Map<String, Integer> out = new HashMap<>();
            for (Map.Entry<String, JsonNode> e : n.properties()) {
                if (!e.getValue().canConvertToInt()) {
                    throw wrong(at + "." + e.getKey(), "a whole number", e.getValue().toString());
                }
                out.put(e.getKey(), e.getValue().asInt());
            }
            return out;
        }

        private List<Override> overrides(JsonNode n, String at) throws FactsSchemaException {
            List<Override> out = new ArrayList<>();
            for (int i = 0; i < array(n, at).size(); i++) {
                JsonNode o = n.get(i);
                String p = at + "[" + i + "].";
                out.add(new Override(text(need(o, "user", p), p + "user"),
                        text(need(o, "commitSha", p), p + "commitSha"),
                        instant(need(o, "at", p), p + "at"),
                        text(need(o, "reason", p), p + "reason")));
            }
            return out;
        }

        private List<Lock> locks(JsonNode n, String at) throws FactsSchemaException {
            List<Lock> out = new ArrayList<>();
            for (int i = 0; i < array(n, at).size(); i++) {
                JsonNode l = n.get(i);
                String p = at + "[" + i + "].";
                out.add(new Lock(text(need(l, "environment", p), p + "environment"),
                        text(need(l, "holder", p), p + "holder")));
            }
            return out;
        }

        private Optional<LockRace> lockRace(JsonNode n) throws FactsSchemaException {
            if (n.isNull()) {
                return Optional.empty();
            }
            return Optional.of(new LockRace(text(need(n, "holder", "lockRace."),
                    "lockRace.holder"), instant(need(n, "expiresAt", "lockRace."),
                            "lockRace.expiresAt")));
        }

        private List<RecordedDecision.RecordedReason> reasons(JsonNode n)
                throws FactsSchemaException {
            String at = "outcome.reasons";
            List<RecordedDecision.RecordedReason> out = new ArrayList<>();
            for (int i = 0; i < array(n, at).size(); i++) {
                JsonNode r = n.get(i);
                String p = at + "[" + i + "].";
                out.add(new RecordedDecision.RecordedReason(text(need(r, "code", p), p + "code"),
                        text(need(r, "message", p), p + "message"),
                        nullableText(need(r, "remedy", p), p + "remedy")));
            }
            return out;
        }

        /** The field, which must be there (it may be JSON null). */
        private JsonNode need(JsonNode parent, String field, String at)
                throws FactsSchemaException {
            JsonNode v = parent.get(field);
            if (v == null || v.isMissingNode()) {
                throw new FactsSchemaException("the facts (schema " + version + ") lack the "
                        + "field " + at + field);
            }
            return v;
        }

        private JsonNode array(JsonNode n, String at) throws FactsSchemaException {
            if (!n.isArray()) {
                throw wrong(at, "an array", n.getNodeType().toString());
            }
            return n;
        }

        private String text(JsonNode n, String at) throws FactsSchemaException {
            if (!n.isTextual()) {
                throw wrong(at, "text", n.getNodeType().toString());
            }
            return n.textValue();
        }

        private Optional<String> nullableText(JsonNode n, String at)
                throws FactsSchemaException {
            return n.isNull() ? Optional.empty() : Optional.of(text(n, at));
        }

        private List<String> texts(JsonNode n, String at) throws FactsSchemaException {
            List<String> out = new ArrayList<>();
            for (int i = 0; i < array(n, at).size(); i++) {
                out.add(text(n.get(i), at + "[" + i + "]"));
            }
            return out;
        }

        private boolean bool(JsonNode n, String at) throws FactsSchemaException {
            if (!n.isBoolean()) {
                throw wrong(at, "true or false", n.getNodeType().toString());
            }
            return n.booleanValue();
        }

        private Instant instant(JsonNode n, String at) throws FactsSchemaException {
            try {
                return Instant.parse(text(n, at));
            } catch (DateTimeParseException e) {
                throw wrong(at, "an ISO-8601 instant", n.textValue());
            }
        }

        private Optional<Instant> optionalInstant(JsonNode n, String at)
                throws FactsSchemaException {
            return n.isNull() ? Optional.empty() : Optional.of(instant(n, at));
        }

        private Optional<BigDecimal> decimal(JsonNode n, String at) throws FactsSchemaException {
            if (n.isNull()) {
                return Optional.empty();
            }
            if (n.isNumber()) {
                return Optional.of(n.decimalValue());
            }
            try {
                return Optional.of(new BigDecimal(text(n, at)));
            } catch (NumberFormatException e) {
                throw wrong(at, "a decimal", n.textValue());
            }
        }

        private FactsSchemaException wrong(String at, String expected, String found) {
            return new FactsSchemaException("the facts (schema " + version + ") have "
                    + at + " = " + found + ", expected " + expected);
        }
    }
}
