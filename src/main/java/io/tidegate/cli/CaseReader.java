package io.tidegate.cli;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.tidegate.decision.Command;
import io.tidegate.decision.CostChange;
import io.tidegate.decision.Facts;
import io.tidegate.decision.Freeze;
import io.tidegate.decision.Lock;
import io.tidegate.decision.Override;
import io.tidegate.decision.PlanChange;
import io.tidegate.decision.ProjectRef;
import io.tidegate.decision.ProjectReport;
import io.tidegate.decision.PullRequest;
import io.tidegate.decision.ReasonCode;
import io.tidegate.decision.Review;

/**
 * Reads policy test files ({@code policy:} + {@code cases:}) and single case files into
 * {@link PolicyCase}s. Keys are checked like the policy's: a typo is an error, not a silently
 * different case. Money is read as decimals. {@code infracost:} and {@code plan:} name JSON
 * files (Infracost output, {@code terraform show -json}) relative to the case file.
 */
final class CaseReader {
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
    private static final List<String> FILE_KEYS = List.of("policy", "cases");
    private static final List<String> CASE_KEYS = List.of("name", "at", "command", "project",
            "pull_request", "actor", "teams", "reviews", "cost", "infracost", "resources", "plan",
            "reports", "overrides", "locks", "expect", "policy",
            "freezes");
    private static final List<String> FREEZE_KEYS = List.of("environment", "by", "reason",
            "since", "until", "overridable");
    private static final List<String> PROJECT_KEYS = List.of("name", "dir", "workspace");
    private static final List<String> PR_KEYS = List.of("repo", "number", "base", "head",
            "author", "draft", "labels", "body");
    private static final List<String> REVIEW_KEYS = List.of("user", "state", "commit",
            "submitted_at");
    private static final List<String> COST_KEYS = List.of("monthly_increase", "monthly_total");
    private static final List<String> RESOURCE_KEYS = List.of("created", "updated", "deleted");
    private static final List<String> REPORT_KEYS = List.of("project", "commit", "cost",
            "infracost", "resources", "plan", "recorded_at");
    private static final List<String> OVERRIDE_KEYS = List.of("user", "commit", "at", "reason");
    private static final List<String> LOCK_KEYS = List.of("environment", "holder");
    private static final List<String> EXPECT_KEYS = List.of("decision", "reasons", "absent");

    private final Path file;
    private String where;

    private CaseReader(Path file) {
        this.file = file;
        this.where = file.toString();
    }

    /** Whether a YAML file is a policy test file (has a top-level {@code cases:} list). */
    static boolean isTestFile(Path file) {
        try {
            JsonNode root = YAML.readTree(file.toFile());
            return root != null && root.isObject() && root.has("cases");
        } catch (IOException e) {
            return false;
        }
    }

    /** Every case of a test file; the file's {@code policy:} applies to cases without one. */
    static List<PolicyCase> readTestFile(Path file) throws CaseFileException {
        CaseReader r = new CaseReader(file);
        JsonNode root = r.root();
        r.keys(root, FILE_KEYS);
        Optional<Path> policy = r.optText(root, "policy").map(p -> r.resolve(p));
        JsonNode cases = root.path("cases");
        if (!cases.isArray() || cases.isEmpty()) {
            throw r.fail("\"cases\" must be a non-empty list");
        }
        List<PolicyCase> out = new ArrayList<>();
        for (int i = 0; i < cases.size(); i++) {
            r.where = file + ": case " + (i + 1);
            PolicyCase c = r.testCase(cases.get(i), true);
            out.add(c.policy().isPresent() ? c : new PolicyCase(c.name(), c.at(), c.facts(),
                    c.expect(), policy));
        }
        return out;
    }

    /** A file holding one case at the top level (for {@code simulate --case}). */
    static PolicyCase readCaseFile(Path file) throws CaseFileException {
        CaseReader r = new CaseReader(file);
        return r.testCase(r.root(), false);
    }

    private JsonNode root() throws CaseFileException {
        try {
            JsonNode root = YAML.readTree(file.toFile());
            if (root == null || !root.isObject()) {
                throw fail("expected a YAML mapping");
            }
            return root;
        } catch (IOException e) {
            throw fail("cannot read: " + firstLine(e.getMessage()));
        }
    }

    private PolicyCase testCase(JsonNode c, boolean nameRequired) throws CaseFileException {
        if (!c.isObject()) {
            throw fail("a case must be a mapping");
        }
        String name = nameRequired ? text(c, "name") : optText(c, "name").orElse(file.toString());
        where = where + " (" + name + ")";
        keys(c, CASE_KEYS);
        Optional<String> atText = optText(c, "at");
        Optional<Instant> at = atText.map(this::instantOrNull);
        if (atText.isPresent() && at.isEmpty()) {
            throw fail("\"at\" must be an ISO-8601 time with an offset, such as "
                    + "2026-11-27T10:00:00+09:00, found \"" + atText.get() + "\"");
        }
        if (nameRequired && at.isEmpty()) {
            throw fail("missing key \"at\"");
        }
        Command command = command(text(c, "command"));
        ProjectRef project = project(c.path("project"));
        PullRequest pr = pullRequest(c.path("pull_request"));
        Facts facts = new Facts(command, project, pr, optText(c, "actor").orElse(""),
                teams(c.path("teams")), reviews(c.path("reviews")), reports(c, project, pr),
                overrides(c.path("overrides")), locks(c.path("locks")), List.of(),
                freezes(c.path("freezes")));
        Optional<PolicyCase.Expectation> expect = c.has("expect")
                ? Optional.of(expectation(c.get("expect"))) : Optional.empty();
        if (nameRequired && expect.isEmpty()) {
            throw fail("missing key \"expect\"");
        }
        return new PolicyCase(name, at, facts, expect, optText(c, "policy").map(this::resolve));
    }

    private Command command(String word) throws CaseFileException {
        switch (word) {
            case "plan":
                return Command.PLAN;
            case "apply":
                return Command.APPLY;
            default:
                throw fail("\"command\" must be plan or apply, found \"" + word + "\"");
        }
    }

    private ProjectRef project(JsonNode p) throws CaseFileException {
        if (!p.isObject()) {
            throw fail("missing key \"project\" (name, dir, workspace)");
        }
        keys(p, PROJECT_KEYS);
        return new ProjectRef(optText(p, "name").orElse(""), text(p, "dir"),
                optText(p, "workspace").orElse("default"));
    }

    private PullRequest pullRequest(JsonNode p) throws CaseFileException {
        if (p.isMissingNode()) {
            p = YAML.createObjectNode();
        }
        keys(p, PR_KEYS);
        return new PullRequest(optText(p, "repo").orElse("acme/infra"),
                p.path("number").asInt(1), optText(p, "base").orElse("main"),
                optText(p, "head").orElse("0000000"), optText(p, "author").orElse("author"),
                p.path("draft").asBoolean(false), strings(p.path("labels"), "labels"),
                optText(p, "body").orElse(""));
    }

    private Map<String, Set<String>> teams(JsonNode t) throws CaseFileException {
        Map<String, Set<String>> out = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> it = t.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            out.put(e.getKey(), strings(e.getValue(), "teams of " + e.getKey()));
        }
        return out;
    }

    private List<Review> reviews(JsonNode list) throws CaseFileException {
        List<Review> out = new ArrayList<>();
        for (JsonNode r : items(list, "reviews")) {
            keys(r, REVIEW_KEYS);
            String state = text(r, "state");
            try {
                out.add(new Review(text(r, "user"), Review.State.valueOf(state),
                        optText(r, "commit").orElse(""), optInstant(r, "submitted_at")));
            } catch (IllegalArgumentException e) {
                throw fail("review state must be APPROVED, CHANGES_REQUESTED, COMMENTED, "
                        + "DISMISSED or PENDING, found \"" + state + "\"");
            }
        }
        return out;
    }

    /** The target project's report (from cost/resources keys) plus any {@code reports:}. */
    private List<ProjectReport> reports(JsonNode c, ProjectRef project, PullRequest pr)
            throws CaseFileException {
        List<ProjectReport> out = new ArrayList<>();
        Optional<CostChange> cost = cost(c);
        Optional<PlanChange> plan = plan(c);
        if (cost.isPresent() || plan.isPresent()) {
            out.add(new ProjectReport(project, pr.headSha(), cost, plan));
        }
        for (JsonNode r : items(c.path("reports"), "reports")) {
            keys(r, REPORT_KEYS);
            out.add(new ProjectReport(project(r.path("project")),
                    optText(r, "commit").orElse(pr.headSha()), cost(r), plan(r),
                    optInstant(r, "recorded_at")));
        }
        return out;
    }

    private Optional<CostChange> cost(JsonNode c) throws CaseFileException {
        if (c.has("cost") && c.has("infracost")) {
            throw fail("give either \"cost\" or \"infracost\", not both");
        }
        if (c.has("infracost")) {
            return Optional.of(ReportFiles.infracost(resolve(text(c, "infracost"))));
        }
        if (!c.has("cost")) {
            return Optional.empty();
        }
        JsonNode m = c.get("cost");
        keys(m, COST_KEYS);
        return Optional.of(new CostChange(money(m, "monthly_increase"),
                money(m, "monthly_total")));
    }

    private Optional<PlanChange> plan(JsonNode c) throws CaseFileException {
        if (c.has("resources") && c.has("plan")) {
            throw fail("give either \"resources\" or \"plan\", not both");
        }
        if (c.has("plan")) {
            return Optional.of(ReportFiles.plan(resolve(text(c, "plan"))));
        }
        if (!c.has("resources")) {
            return Optional.empty();
        }
        JsonNode m = c.get("resources");
        keys(m, RESOURCE_KEYS);
        return Optional.of(new PlanChange(counts(m.path("created")), counts(m.path("updated")),
                counts(m.path("deleted"))));
    }

    private Map<String, Integer> counts(JsonNode m) throws CaseFileException {
        Map<String, Integer> out = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> it = m.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().canConvertToInt() || e.getValue().asInt() < 0) {
                throw fail("resource count for " + e.getKey() + " must be a whole number");
            }
            out.put(e.getKey(), e.getValue().asInt());
        }
        return out;
    }

    /** A decimal amount; {@code null} or absent is unknown (never zero). */
    private Optional<BigDecimal> money(JsonNode m, String key) throws CaseFileException {
        JsonNode v = m.path(key);
        if (v.isMissingNode() || v.isNull()) {
            return Optional.empty();
        }
        try {
            return Optional.of(v.isNumber() ? v.decimalValue() : new BigDecimal(v.asText()));
        } catch (NumberFormatException e) {
            throw fail("\"" + key + "\" must be an amount such as \"120.50\", found \""
                    + v.asText() + "\"");
        }
    }

    private List<Override> overrides(JsonNode list) throws CaseFileException {
        List<Override> out = new ArrayList<>();
        for (JsonNode o : items(list, "overrides")) {
            keys(o, OVERRIDE_KEYS);
            Instant at = instantOrNull(text(o, "at"));
            if (at == null) {
                throw fail("override \"at\" must be an ISO-8601 time with an offset");
            }
            out.add(new Override(text(o, "user"), text(o, "commit"), at,
                    optText(o, "reason").orElse("")));
        }
        return out;
    }

    private List<Lock> locks(JsonNode list) throws CaseFileException {
        List<Lock> out = new ArrayList<>();
        for (JsonNode l : items(list, "locks")) {
            keys(l, LOCK_KEYS);
            out.add(new Lock(text(l, "environment"), text(l, "holder")));
        }
        return out;
    }

    /** On-demand freezes recorded; {@code since} defaults to long ago, {@code until} to none. */
    private List<Freeze> freezes(JsonNode list) throws CaseFileException {
        List<Freeze> out = new ArrayList<>();
        for (JsonNode f : items(list, "freezes")) {
            keys(f, FREEZE_KEYS);
            Instant since = optInstant(f, "since").orElse(Instant.EPOCH);
            Optional<Instant> until = optInstant(f, "until");
            if (until.isPresent() && !until.get().isAfter(since)) {
                throw fail("freeze \"until\" must be after its \"since\"");
            }
            JsonNode o = f.path("overridable");
            if (!o.isMissingNode() && !o.isBoolean()) {
                throw fail("freeze \"overridable\" must be true or false");
            }
            out.add(new Freeze(text(f, "environment"), optText(f, "by").orElse("someone"),
                    optText(f, "reason").orElse(""), since, until, o.asBoolean(false)));
        }
        return out;
    }

    private PolicyCase.Expectation expectation(JsonNode e) throws CaseFileException {
        keys(e, EXPECT_KEYS);
        String decision = text(e, "decision");
        if (!decision.equals("allow") && !decision.equals("deny")) {
            throw fail("expect.decision must be allow or deny, found \"" + decision + "\"");
        }
        List<String> reasons = codes(e.path("reasons"), "reasons");
        List<String> absent = codes(e.path("absent"), "absent");
        return new PolicyCase.Expectation(decision.equals("allow"), reasons, absent);
    }

    private List<String> codes(JsonNode list, String what) throws CaseFileException {
        List<String> out = new ArrayList<>(strings(list, what));
        for (String code : out) {
            if (ReasonCode.fromKey(code).isEmpty()) {
                throw fail("unknown reason code \"" + code + "\" in expect." + what);
            }
        }
        return out;
    }

    private void keys(JsonNode m, List<String> allowed) throws CaseFileException {
        if (!m.isObject()) {
            throw fail("expected a mapping with keys " + String.join(", ", allowed));
        }
        Iterator<String> it = m.fieldNames();
        while (it.hasNext()) {
            String k = it.next();
            if (!allowed.contains(k)) {
                throw fail("unknown key \"" + k + "\" (expected one of: "
                        + String.join(", ", allowed) + ")");
            }
        }
    }

    private List<JsonNode> items(JsonNode list, String what) throws CaseFileException {
        if (list.isMissingNode() || list.isNull()) {
            return List.of();
        }
        if (!list.isArray()) {
            throw fail("\"" + what + "\" must be a list");
        }
        List<JsonNode> out = new ArrayList<>();
        list.forEach(out::add);
        return out;
    }

    private Set<String> strings(JsonNode list, String what) throws CaseFileException {
        Set<String> out = new LinkedHashSet<>();
        for (JsonNode n : items(list, what)) {
            out.add(n.asText());
        }
        return out;
    }

    private String text(JsonNode m, String key) throws CaseFileException {
        return optText(m, key).orElseThrow(() -> fail("missing key \"" + key + "\""));
    }

    private Optional<String> optText(JsonNode m, String key) {
        JsonNode v = m.path(key);
        return v.isValueNode() && !v.isNull() ? Optional.of(v.asText()) : Optional.empty();
    }

    /** An optional ISO-8601 time with an offset; absent means unknown. */
    private Optional<Instant> optInstant(JsonNode node, String key) throws CaseFileException {
        Optional<String> text = optText(node, key);
        if (text.isEmpty()) {
            return Optional.empty();
        }
        Instant at = instantOrNull(text.get());
        if (at == null) {
            throw fail("\"" + key + "\" must be an ISO-8601 time with an offset, such as "
                    + "2026-11-27T10:00:00+09:00, found \"" + text.get() + "\"");
        }
        return Optional.of(at);
    }

    private Instant instantOrNull(String text) {
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private Path resolve(String relative) {
        Path base = file.toAbsolutePath().getParent();
        return base.resolve(relative).normalize();
    }

    private CaseFileException fail(String message) {
        return new CaseFileException(where + ": " + message);
    }

    static String firstLine(String s) {
        if (s == null) {
            return "unreadable";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
