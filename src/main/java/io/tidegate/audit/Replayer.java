package io.tidegate.audit;

import java.nio.file.NoSuchFileException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import io.tidegate.decision.Decision;
import io.tidegate.decision.DecisionEngine;
import io.tidegate.decision.Facts;
import io.tidegate.policy.PolicyFileException;
import io.tidegate.policy.PolicyFiles;
import io.tidegate.policy.PolicyParser;
import io.tidegate.policy.PolicySet;
import io.tidegate.policy.RepoPolicy;
import io.tidegate.store.AuditEntry;
import io.tidegate.store.AuditRecord;
import io.tidegate.store.PolicyVersion;
import io.tidegate.store.PolicyVersionStore;

/**
 * Decides recorded decisions again: the facts rebuilt from the audit row ({@link FactsJson}),
 * the policy version the row names (from the store, never the files on disk: with
 * {@code repos:} the whole kept set, root and named files, so the same first match decides), the
 * recorded
 * instant, the policy file problem the engine was told of and the lock race the gate lost; then
 * compares with what was recorded. The engine is pure, so a difference means the engine or the
 * reading changed, or the row does not hold what the decision used.
 *
 * <p>{@link #withPolicy} decides the same facts under another policy instead (what-if). Not
 * thread-safe (it caches parsed policy versions); use one per thread.
 */
public final class Replayer {
    /** The engine, as a seam: tests put a mutated one in to prove replay notices. */
    @FunctionalInterface
    public interface Decider {
        Decider ENGINE = DecisionEngine::decide;

        Decision decide(PolicySet policy, Facts facts, Instant now);
    }

    private static final int CACHED_POLICIES = 16;

    private final PolicyVersionStore versions;
    private final Decider decider;
    /** A recorded policy version read back, or why it cannot be. */
    private sealed interface Loaded {
        record Policy(PolicySet policy) implements Loaded {}

        record Missing(String why) implements Loaded {}
    }

    private final Map<String, Loaded> policies = new LinkedHashMap<>(16, 0.75f, true) {
        @java.lang.Override
        protected boolean removeEldestEntry(Map.Entry<String, Loaded> eldest) {
            return size() > CACHED_POLICIES;
        }
    };

    public Replayer(PolicyVersionStore versions, Decider decider) {
        this.versions = Objects.requireNonNull(versions, "versions == null");
        this.decider = Objects.requireNonNull(decider, "decider == null");
    }

    /** The entry decided again with the recorded policy version, compared with the record. */
    public ReplayResult replay(AuditEntry entry) {
        AuditRecord row = entry.record();
        if (!row.isDecision()) {
            return ReplayResult.notReplayable(entry, "a " + row.kind() + " record is an event, "
                    + "not a decision");
        }
        RecordedDecision recorded;
        try {
            recorded = FactsJson.read(row);
        } catch (FactsSchemaException e) {
            return ReplayResult.notReplayable(entry, e.getMessage());
        }
        Outcome was = recordedOutcome(row, recorded);
        if (recorded.refusal().isPresent()) {
            return refusal(entry, was, recorded.refusal().get());
        }
        Optional<String> lacking = lackingProblem(row, recorded);
        if (lacking.isPresent()) {
            return ReplayResult.notReplayable(entry, lacking.get());
        }
        RecordedPolicy named = RecordedPolicy.of(row.policyHash());
        Loaded policy = recordedPolicy(named, recorded.policyProblem());
        if (policy instanceof Loaded.Missing missing) {
            return ReplayResult.notReplayable(entry, missing.why());
        }
        PolicySet root = ((Loaded.Policy) policy).policy();
        return compare(entry, was, decide(root, recorded), fileChange(named, root, row.repo()));
    }

    /**
     * What an audit row names: {@code sha256:<hex>}, and with {@code repos:} the file that
     * decided ({@code sha256:<hex> <file>}). Since policy sets are kept, the hex is the set's;
     * before, it was the named file's own hash, a version never kept.
     */
    private record RecordedPolicy(String sha256, Optional<String> file) {
        static RecordedPolicy of(String policyHash) {
            String s = policyHash.startsWith("sha256:") ? policyHash.substring(7) : policyHash;
            int space = s.indexOf(' ');
            return space < 0 ? new RecordedPolicy(s, Optional.empty())
                    : new RecordedPolicy(s.substring(0, space),
                            Optional.of(s.substring(space + 1)));
        }
    }

    /**
     * The set's {@code repos:} first match for the repository must be the file the row names;
     * another one means the matching changed, a difference replay reports.
     */
    private static Optional<String> fileChange(RecordedPolicy named, PolicySet root,
            String repo) {
        if (named.file().isEmpty() || !root.isByRepository()) {
            return Optional.empty();
        }
        String now = root.repoPolicyFor(repo).map(RepoPolicy::file).orElse("(none: ungoverned)");
        return now.equals(named.file().get()) ? Optional.empty()
                : Optional.of("policy file: " + named.file().get() + " -> " + now);
    }

    /** The entry's facts decided under {@code candidate}, compared with the record. */
    public ReplayResult withPolicy(AuditEntry entry, PolicySet candidate) {
        AuditRecord row = entry.record();
        RecordedDecision recorded;
        try {
            recorded = FactsJson.read(row);
        } catch (FactsSchemaException e) {
            return ReplayResult.notReplayable(entry, e.getMessage());
        }
        Outcome was = recordedOutcome(row, recorded);
        if (recorded.refusal().isPresent()) {
            return refusal(entry, was, recorded.refusal().get());
        }
        return compare(entry, was, decide(candidate, recorded), Optional.empty());
    }

    private Decision decide(PolicySet policy, RecordedDecision recorded) {
        Decision d = decider.decide(policy, recorded.facts(), recorded.now());
        // the gate's step after the engine: a lock another PR took in between
        return d.isAllowed() && recorded.lockRace().isPresent()
                ? recorded.lockRace().get().deny(d) : d;
    }

    private static ReplayResult compare(AuditEntry entry, Outcome was, Decision decision,
            Optional<String> fileChange) {
        Outcome now = Outcome.of(decision);
        List<String> differences = new java.util.ArrayList<>();
        fileChange.ifPresent(differences::add);
        differences.addAll(was.differencesTo(now));
        return new ReplayResult(entry, differences.isEmpty() ? ReplayResult.Status.SAME
                : ReplayResult.Status.DIFFERENT, Optional.of(was), Optional.of(now),
                differences, was.reasons().isPresent() ? Optional.empty()
                        : Optional.of("schema 1 row: messages were not recorded, verdict and "
                                + "reason codes compared"));
    }

    private static ReplayResult refusal(AuditEntry entry, Outcome was,
            RecordedDecision.Refusal r) {
        return new ReplayResult(entry, ReplayResult.Status.SAME, Optional.of(was),
                Optional.of(was), List.of(), Optional.of("gate refusal (" + r.code().key() + "): the "
                        + "gate refused before the engine was asked: " + r.why()));
    }

    private static Outcome recordedOutcome(AuditRecord row, RecordedDecision recorded) {
        return new Outcome(row.decision(), row.reasonCodes(), recorded.reasons());
    }

    /** A schema 1 deny for a broken policy file: the problem's text was not recorded. */
    private static Optional<String> lackingProblem(AuditRecord row, RecordedDecision r) {
        if (r.schemaVersion() < 2 && row.reasonCodes().contains("policy-unavailable")) {
            return Optional.of("the facts (schema 1) lack the field policyFileProblem: the "
                    + "policy file problem this deny names was not recorded");
        }
        return Optional.empty();
    }

    /** The recorded policy, told of the recorded file problem, or why it cannot be had. */
    private Loaded recordedPolicy(RecordedPolicy named, Optional<String> problem) {
        String sha = named.sha256();
        if (sha.equals(PolicySet.NO_POLICY)) {
            return new Loaded.Policy(PolicySet.unavailable(problem.orElse("no policy loaded")));
        }
        Loaded policy = policies.computeIfAbsent(sha, this::load);
        if (policy instanceof Loaded.Missing m && named.file().isPresent()) {
            return new Loaded.Missing(m.why() + "; the row names " + named.file().get()
                    + " under repos:, and rows recorded before Tidegate kept the whole policy "
                    + "set (root and named files) name that file's own hash, never kept");
        }
        if (policy instanceof Loaded.Policy p && problem.isPresent()) {
            return new Loaded.Policy(p.policy().withFileProblem(problem.get()));
        }
        return policy;
    }

    /**
     * The kept version parsed from its own files only: the root is the file whose parse, with
     * {@code repos:} read from the set, has the version's hash (one file: that file).
     */
    private Loaded load(String sha) {
        Optional<PolicyVersion> v = versions.find(sha);
        if (v.isEmpty()) {
            return new Loaded.Missing("policy version sha256:" + sha + " is not kept in the "
                    + "store (decided before Tidegate kept policy versions, or in another store)");
        }
        Map<String, String> files = v.get().files();
        PolicyFiles kept = PolicyFiles.of(files);
        Set<String> lacking = new TreeSet<>();
        PolicyFiles noting = path -> {
            try {
                return kept.read(path);
            } catch (NoSuchFileException e) {
                lacking.add(path.toString());
                throw e;
            }
        };
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, String> file : files.entrySet()) {
            try {
                PolicySet p = PolicyParser.parse(file.getValue(), file.getKey(), noting);
                if (p.sha256().equals(sha)) {
                    return new Loaded.Policy(p);
                }
            } catch (PolicyFileException e) {
                problems.add(e.problems().get(0));
            }
        }
        if (!lacking.isEmpty()) {
            return new Loaded.Missing("policy version sha256:" + sha + " " + files.keySet()
                    + " lacks the files its repos: names: " + String.join(", ", lacking)
                    + " (kept before Tidegate kept the policy set as one version)");
        }
        return new Loaded.Missing("policy version sha256:" + sha + " no longer parses: "
                + (problems.isEmpty() ? "no file of " + files.keySet() + " is its root"
                        : problems.get(0)));
    }
}
