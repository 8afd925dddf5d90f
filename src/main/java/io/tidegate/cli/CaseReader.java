package io.tidegate.cli;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

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
import io.tidegate.decision.Reason;
import io.tidegate.decision.ReasonCode;
import io.tidegate.decision.Review;
import io.tidegate.policy.Nodes;
import io.tidegate.policy.Problems;
import io.tidegate.policy.YamlNode;
import io.tidegate.policy.YamlReader;

/**
 * Reads policy test files ({@code policy:} + {@code cases:}) and single case files into
 * {@link PolicyCase}s, with the policy parser's YAML reader and typed reads: every problem is
 * {@code file:line:column: message} (a syntax error also shows its line and a caret), all of a
 * file's problems are reported at once, a typo in a key is an error, and a value of the wrong
 * type ({@code draft: "maybe"}) is an error, never a silently different case. Money is read as
 * decimals. {@code infracost:} and {@code plan:} name JSON files relative to the case file, read
 * as the server reads an Atlantis upload ({@link ReportFiles}).
 */
final class CaseReader {
    private static final Pattern SIGNED_MONEY = Pattern.compile("-?\\d{1,12}(\\.\\d{1,6})?");
    private static final List<String> FILE_KEYS = List.of("policy", "cases");
    private static final List<String> CASE_KEYS = List.of("name", "at", "command", "project",
            "pull_request", "actor", "teams", "reviews", "cost", "infracost", "resources", "plan",
            "reports", "overrides", "locks", "expect", "policy", "head_tree", "applies",
            "codeowners", "changed_files", "freezes");
    private static final List<String> FREEZE_KEYS = List.of("environment", "by", "reason",
            "since", "until", "overridable");
    private static final List<String> PROJECT_KEYS = List.of("name", "dir", "workspace");
    private static final List<String> PR_KEYS = List.of("repo", "number", "base", "head",
            "author", "draft", "labels", "body");
    private static final List<String> REVIEW_KEYS = List.of("user", "state", "commit",
            "submitted_at");
    private static final List<String> COST_KEYS = List.of("monthly_increase", "monthly_total");
    private static final List<String> RESOURCE_KEYS = List.of("created", "updated", "deleted",
            "changes");
    private static final List<String> REPORT_KEYS = List.of("project", "commit", "cost",
            "infracost", "resources", "plan", "recorded_at");
    private static final List<String> OVERRIDE_KEYS = List.of("user", "commit", "at", "reason");
    private static final List<String> LOCK_KEYS = List.of("environment", "holder");
    private static final List<String> EXPECT_KEYS = List.of("decision", "reasons", "absent");

    private final Path file;
    private final Problems problems;
    private final Nodes nodes;

    private CaseReader(Path file) {
        this.file = file;
        this.problems = new Problems(file.toString());
        this.nodes = new Nodes(problems);
    }

    /** Every case of a test file; the file's {@code policy:} applies to cases without one. */
    static List<PolicyCase> readTestFile(Path file) throws CaseFileException {
        CaseReader r = new CaseReader(file);
        List<PolicyCase> out = new ArrayList<>();
        Optional<YamlNode> root = r.root();
        Optional<YamlNode.Mapping> m = root.flatMap(n -> r.nodes.mapping(n, "a policy test file",
                FILE_KEYS));
        if (m.isPresent()) {
            Optional<Path> policy = r.nodes.get(m.get(), "policy")
                    .flatMap(p -> r.nodes.string(p, "policy")).map(r::resolve);
            Optional<YamlNode> cases = r.nodes.require(m.get(), "cases",
                    "a policy test file (a list of cases)");
            List<YamlNode> items = cases.map(c -> r.nodes.list(c, "cases")).orElse(List.of());
            if (cases.isPresent() && items.isEmpty() && r.problems.isEmpty()) {
                r.problems.add(cases.get().location(), "cases must hold at least one case");
            }
            for (int i = 0; i < items.size(); i++) {
                r.testCase(items.get(i), "case " + (i + 1), true).ifPresent(c -> out.add(
                        c.policy().isPresent() ? c : new PolicyCase(c.name(), c.at(), c.facts(),
                                c.expect(), policy)));
            }
        }
        r.throwIfAny();
        return out;
    }

    /** A file holding one case at the top level (for {@code simulate --case}). */
    static PolicyCase readCaseFile(Path file) throws CaseFileException {
        CaseReader r = new CaseReader(file);
        Optional<PolicyCase> c = r.root().flatMap(n -> r.testCase(n, "the case", false));
        r.throwIfAny();
        return c.orElseThrow();
    }

    /**
     * Whether the file reads as a policy (a YAML mapping with {@code version:} and no
     * {@code cases:}): in a test directory such a file is no error when a case names it.
     */
    static boolean looksLikePolicy(Path file) {
        CaseReader r = new CaseReader(file);
        Optional<YamlNode> root = r.root();
        return r.problems.isEmpty() && root.orElseThrow() instanceof YamlNode.Mapping m
                && m.entries().containsKey("version") && !m.entries().containsKey("cases");
    }

    private Optional<YamlNode> root() {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            problems.add(new YamlNode.Location(1, 1), "cannot read: " + e.getMessage());
            return Optional.empty();
        }
        return new YamlReader(problems).read(text);
    }

    private void throwIfAny() throws CaseFileException {
        if (!problems.isEmpty()) {
            throw new CaseFileException(problems.report());
        }
    }

    private Optional<PolicyCase> testCase(YamlNode node, String what, boolean inTestFile) {
        Optional<YamlNode.Mapping> found = nodes.mapping(node, what, CASE_KEYS);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        YamlNode.Mapping c = found.get();
        Optional<String> name = inTestFile
                ? nodes.require(c, "name", what).flatMap(n -> nodes.string(n, "name"))
                : nodes.get(c, "name").flatMap(n -> nodes.string(n, "name"));
        String label = name.map(n -> what + " (" + n + ")").orElse(what);
        Optional<Instant> at = inTestFile
                ? nodes.require(c, "at", label).flatMap(n -> instant(n, "at"))
                : nodes.get(c, "at").flatMap(n -> instant(n, "at"));
        Optional<Command> command = nodes.require(c, "command", label).flatMap(this::command);
        ProjectRef project = nodes.require(c, "project", label).flatMap(this::project)
                .orElse(new ProjectRef("", "", "default"));
        PullRequest pr = pullRequest(nodes.get(c, "pull_request"));
        String actor = nodes.get(c, "actor").flatMap(n -> nodes.string(n, "actor")).orElse("");
        Facts facts = new Facts(command.orElse(Command.APPLY), project, pr, actor,
                teams(nodes.get(c, "teams")), reviews(nodes.get(c, "reviews")),
                reports(c, project, pr), overrides(nodes.get(c, "overrides")),
                locks(nodes.get(c, "locks")));
        facts = PromotionAndOwners.read(this, nodes, c, facts)
                .withFreezes(freezes(nodes.get(c, "freezes")));
        Optional<PolicyCase.Expectation> expect = inTestFile
                ? nodes.require(c, "expect", label).flatMap(this::expectation)
                : nodes.get(c, "expect").flatMap(this::expectation);
        Optional<Path> policy = nodes.get(c, "policy").flatMap(n -> nodes.string(n, "policy"))
                .map(this::resolve);
        if (command.isEmpty()) {
            return Optional.empty(); // reported; the file is rejected as a whole
        }
        return Optional.of(new PolicyCase(name.orElse(file.toString()), at, facts, expect,
                policy));
    }

    private Optional<Command> command(YamlNode node) {
        Optional<String> word = nodes.string(node, "command");
        if (word.isEmpty()) {
            return Optional.empty();
        }
        switch (word.get()) {
            case "plan":
                return Optional.of(Command.PLAN);
            case "apply":
                return Optional.of(Command.APPLY);
            default:
                nodes.problem(node.location(), "command must be plan or apply, found \""
                        + word.get() + "\"");
                return Optional.empty();
        }
    }

    private Optional<ProjectRef> project(YamlNode node) {
        return nodes.mapping(node, "project", PROJECT_KEYS).map(p -> new ProjectRef(
                optString(p, "name", "project name").orElse(""),
                nodes.require(p, "dir", "project").flatMap(n -> nodes.string(n, "dir"))
                        .orElse(""),
                optString(p, "workspace", "project workspace").orElse("default")));
    }

    private PullRequest pullRequest(Optional<YamlNode> node) {
        Optional<YamlNode.Mapping> m = node.flatMap(n -> nodes.mapping(n, "pull_request",
                PR_KEYS));
        if (m.isEmpty()) {
            return new PullRequest("acme/infra", 1, "main", "0000000", "author", false, Set.of(),
                    "");
        }
        YamlNode.Mapping p = m.get();
        return new PullRequest(optString(p, "repo", "repo").orElse("acme/infra"),
                nodes.get(p, "number").flatMap(n -> nodes.count(n, "number")).orElse(1),
                optString(p, "base", "base").orElse("main"),
                optString(p, "head", "head").orElse("0000000"),
                optString(p, "author", "author").orElse("author"),
                nodes.get(p, "draft").flatMap(n -> nodes.bool(n, "draft")).orElse(false),
                strings(nodes.get(p, "labels"), "labels"),
                nodes.get(p, "body").flatMap(this::text).orElse(""));
    }

    private Map<String, Set<String>> teams(Optional<YamlNode> node) {
        Map<String, Set<String>> out = new LinkedHashMap<>();
        node.flatMap(n -> nodes.namedMapping(n, "teams")).ifPresent(m -> m.entries().values()
                .forEach(e -> out.put(e.key(), strings(Optional.of(e.value()),
                        "teams of " + e.key()))));
        return out;
    }

    private List<Review> reviews(Optional<YamlNode> node) {
        List<Review> out = new ArrayList<>();
        for (YamlNode item : items(node, "reviews")) {
            nodes.mapping(item, "a review", REVIEW_KEYS).ifPresent(r -> {
                Optional<String> user = required(r, "user", "a review");
                Optional<Review.State> state = nodes.require(r, "state", "a review")
                        .flatMap(this::reviewState);
                Optional<Instant> submitted = nodes.get(r, "submitted_at")
                        .flatMap(n -> instant(n, "submitted_at"));
                if (user.isPresent() && state.isPresent()) {
                    out.add(new Review(user.get(), state.get(),
                            optString(r, "commit", "commit").orElse(""), submitted));
                }
            });
        }
        return out;
    }

    private Optional<Review.State> reviewState(YamlNode node) {
        Optional<String> text = nodes.string(node, "state");
        try {
            return text.map(Review.State::valueOf);
        } catch (IllegalArgumentException e) {
            nodes.problem(node.location(), "review state must be APPROVED, CHANGES_REQUESTED, "
                    + "COMMENTED, DISMISSED or PENDING, found \"" + text.get() + "\"");
            return Optional.empty();
        }
    }

    /** The target project's report (from cost/resources keys) plus any {@code reports:}. */
    private List<ProjectReport> reports(YamlNode.Mapping c, ProjectRef project, PullRequest pr) {
        List<ProjectReport> out = new ArrayList<>();
        Optional<CostChange> cost = cost(c);
        Optional<PlanChange> plan = plan(c);
        if (cost.isPresent() || plan.isPresent()) {
            out.add(new ProjectReport(project, pr.headSha(), cost, plan));
        }
        for (YamlNode item : items(nodes.get(c, "reports"), "reports")) {
            nodes.mapping(item, "a report", REPORT_KEYS).ifPresent(r -> {
                Optional<ProjectRef> p = nodes.require(r, "project", "a report")
                        .flatMap(this::project);
                Optional<Instant> recorded = nodes.get(r, "recorded_at")
                        .flatMap(n -> instant(n, "recorded_at"));
                Optional<CostChange> rc = cost(r);
                Optional<PlanChange> rp = plan(r);
                p.ifPresent(ref -> out.add(new ProjectReport(ref,
                        optString(r, "commit", "commit").orElse(pr.headSha()), rc, rp,
                        recorded)));
            });
        }
        return out;
    }

    private Optional<CostChange> cost(YamlNode.Mapping c) {
        Optional<YamlNode> given = nodes.get(c, "cost");
        Optional<YamlNode> file = nodes.get(c, "infracost");
        if (given.isPresent() && file.isPresent()) {
            nodes.problem(file.get().location(), "give either cost or infracost, not both");
            return Optional.empty();
        }
        if (file.isPresent()) {
            return reportFile(file.get(), "infracost", ReportFiles::infracost);
        }
        return given.flatMap(n -> nodes.mapping(n, "cost", COST_KEYS)).map(m -> new CostChange(
                money(m, "monthly_increase"), money(m, "monthly_total")));
    }

    private Optional<PlanChange> plan(YamlNode.Mapping c) {
        Optional<YamlNode> given = nodes.get(c, "resources");
        Optional<YamlNode> file = nodes.get(c, "plan");
        if (given.isPresent() && file.isPresent()) {
            nodes.problem(file.get().location(), "give either resources or plan, not both");
            return Optional.empty();
        }
        if (file.isPresent()) {
            return reportFile(file.get(), "plan", ReportFiles::plan);
        }
        return given.flatMap(n -> nodes.mapping(n, "resources", RESOURCE_KEYS))
                .map(this::resources);
    }

    /** Resources as changes ({@code "replace ADDRESS"}) or as counts per type, not both. */
    private PlanChange resources(YamlNode.Mapping m) {
        Optional<YamlNode> changes = nodes.get(m, "changes");
        if (changes.isEmpty()) {
            return PlanChange.ofCounts(counts(m, "created"), counts(m, "updated"),
                    counts(m, "deleted"));
        }
        if (m.entries().size() > 1) {
            nodes.problem(changes.get().location(), "give resources either as changes or as "
                    + "created/updated/deleted counts, not both");
        }
        return PlanChange.of(PromotionAndOwners.changes(nodes,
                nodes.strings(changes.get(), "resources.changes")));
    }

    /** A JSON file named by the case, read as the server reads it; problems at the name. */
    private <T> Optional<T> reportFile(YamlNode node, String key, ReportFile<T> reader) {
        Optional<String> name = nodes.string(node, key);
        if (name.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(reader.read(resolve(name.get())));
        } catch (CaseFileException e) {
            nodes.problem(node.location(), e.getMessage());
            return Optional.empty();
        }
    }

    @FunctionalInterface
    private interface ReportFile<T> {
        T read(Path file) throws CaseFileException;
    }

    private Map<String, Integer> counts(YamlNode.Mapping m, String key) {
        Map<String, Integer> out = new LinkedHashMap<>();
        nodes.get(m, key).flatMap(n -> nodes.namedMapping(n, key)).ifPresent(types ->
                types.entries().values().forEach(e -> nodes.count(e.value(),
                        "resource count of " + e.key()).ifPresent(n -> out.put(e.key(), n))));
        return out;
    }

    /** A decimal amount, negative for a decrease; {@code null} or absent is unknown. */
    private Optional<BigDecimal> money(YamlNode.Mapping m, String key) {
        Optional<YamlNode> v = nodes.get(m, key);
        if (v.isEmpty() || (v.get() instanceof YamlNode.Scalar s && s.isNull())) {
            return Optional.empty();
        }
        if (v.get() instanceof YamlNode.Scalar s && SIGNED_MONEY.matcher(s.text().trim())
                .matches()) {
            return Optional.of(new BigDecimal(s.text().trim()));
        }
        nodes.problem(v.get().location(), key + " must be an amount of USD such as \"120.50\" "
                + "or -40 (null = unknown), found " + YamlNode.kind(v.get()));
        return Optional.empty();
    }

    private List<Override> overrides(Optional<YamlNode> node) {
        List<Override> out = new ArrayList<>();
        for (YamlNode item : items(node, "overrides")) {
            nodes.mapping(item, "an override", OVERRIDE_KEYS).ifPresent(o -> {
                Optional<String> user = required(o, "user", "an override");
                Optional<String> commit = required(o, "commit", "an override");
                Optional<Instant> at = nodes.require(o, "at", "an override")
                        .flatMap(n -> instant(n, "at"));
                String reason = nodes.get(o, "reason").flatMap(this::text).orElse("");
                if (user.isPresent() && commit.isPresent() && at.isPresent()) {
                    out.add(new Override(user.get(), commit.get(), at.get(), reason));
                }
            });
        }
        return out;
    }

    private List<Lock> locks(Optional<YamlNode> node) {
        List<Lock> out = new ArrayList<>();
        for (YamlNode item : items(node, "locks")) {
            nodes.mapping(item, "a lock", LOCK_KEYS).ifPresent(l -> {
                Optional<String> env = required(l, "environment", "a lock");
                Optional<String> holder = required(l, "holder", "a lock");
                if (env.isPresent() && holder.isPresent()) {
                    out.add(new Lock(env.get(), holder.get()));
                }
            });
        }
        return out;
    }

    /** On-demand freezes recorded; {@code since} defaults to long ago, {@code until} to none. */
    private List<Freeze> freezes(Optional<YamlNode> node) {
        List<Freeze> out = new ArrayList<>();
        for (YamlNode item : items(node, "freezes")) {
            nodes.mapping(item, "a freeze", FREEZE_KEYS).flatMap(this::freeze)
                    .ifPresent(out::add);
        }
        return out;
    }

    private Optional<Freeze> freeze(YamlNode.Mapping f) {
        Optional<String> environment = required(f, "environment", "a freeze");
        Instant since = nodes.get(f, "since").flatMap(n -> instant(n, "since"))
                .orElse(Instant.EPOCH);
        Optional<Instant> until = nodes.get(f, "until").flatMap(n -> instant(n, "until"));
        if (until.isPresent() && !until.get().isAfter(since)) {
            nodes.problem(nodes.get(f, "until").orElseThrow().location(),
                    "a freeze's until must be after its since");
            return Optional.empty();
        }
        boolean overridable = nodes.get(f, "overridable")
                .flatMap(n -> nodes.bool(n, "overridable")).orElse(false);
        return environment.map(e -> new Freeze(e, optString(f, "by", "by").orElse("someone"),
                optString(f, "reason", "reason").orElse(""), since, until, overridable));
    }

    private Optional<PolicyCase.Expectation> expectation(YamlNode node) {
        return nodes.mapping(node, "expect", EXPECT_KEYS).flatMap(e -> {
            Optional<String> decision = nodes.require(e, "decision", "expect")
                    .flatMap(this::decision);
            List<String> reasons = codes(nodes.get(e, "reasons"), "reasons");
            List<String> absent = codes(nodes.get(e, "absent"), "absent");
            return decision.map(d -> new PolicyCase.Expectation(d.equals("allow"), reasons,
                    absent));
        });
    }

    private Optional<String> decision(YamlNode node) {
        Optional<String> d = nodes.string(node, "expect.decision");
        if (d.isPresent() && !d.get().equals("allow") && !d.get().equals("deny")) {
            nodes.problem(node.location(), "expect.decision must be allow or deny, found \""
                    + d.get() + "\"");
            return Optional.empty();
        }
        return d;
    }

    private List<String> codes(Optional<YamlNode> node, String what) {
        List<String> out = new ArrayList<>();
        if (node.isEmpty()) {
            return out;
        }
        for (Nodes.Located code : nodes.strings(node.get(), "expect." + what)) {
            // a rule with enforce: false reports would-deny:CODE
            String plain = code.value().startsWith(Reason.WOULD_DENY)
                    ? code.value().substring(Reason.WOULD_DENY.length()) : code.value();
            if (ReasonCode.fromKey(plain).isEmpty()) {
                nodes.problem(code.location(), "unknown reason code \"" + code.value()
                        + "\" in expect." + what);
            } else if (ReasonCode.fromKey(plain).get().isGateRefusal()) {
                // the gate refuses before the engine is asked; a policy test runs the engine
                nodes.problem(code.location(), "reason code \"" + code.value() + "\" in expect."
                        + what + " is a gate refusal, which the policy never decides");
            } else {
                out.add(code.value());
            }
        }
        return out;
    }

    private List<YamlNode> items(Optional<YamlNode> node, String what) {
        if (node.isEmpty() || (node.get() instanceof YamlNode.Scalar s && s.isNull())) {
            return List.of();
        }
        return nodes.list(node.get(), what);
    }

    private Set<String> strings(Optional<YamlNode> node, String what) {
        Set<String> out = new LinkedHashSet<>();
        node.ifPresent(n -> nodes.strings(n, what).forEach(l -> out.add(l.value())));
        return out;
    }

    private Optional<String> required(YamlNode.Mapping m, String key, String what) {
        return nodes.require(m, key, what).flatMap(n -> nodes.string(n, key));
    }

    private Optional<String> optString(YamlNode.Mapping m, String key, String what) {
        return nodes.get(m, key).flatMap(n -> nodes.string(n, what));
    }

    /** Free text that may be empty (a PR body, a reason). */
    private Optional<String> text(YamlNode node) {
        if (node instanceof YamlNode.Scalar s && !s.isNull()) {
            return Optional.of(s.text());
        }
        if (node instanceof YamlNode.Scalar) {
            return Optional.of("");
        }
        nodes.problem(node.location(), "expected text, found " + YamlNode.kind(node));
        return Optional.empty();
    }

    /** An ISO-8601 time with an offset. */
    Optional<Instant> instant(YamlNode node, String key) {
        Optional<String> text = nodes.string(node, key);
        try {
            return text.map(t -> OffsetDateTime.parse(t).toInstant());
        } catch (DateTimeParseException e) {
            nodes.problem(node.location(), key + " must be an ISO-8601 time with an offset, "
                    + "such as 2026-11-27T10:00:00+09:00, found \"" + text.get() + "\"");
            return Optional.empty();
        }
    }

    private Path resolve(String relative) {
        Path base = file.toAbsolutePath().getParent();
        return base.resolve(relative).normalize();
    }
}
