package io.tidegate.review;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiFunction;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.tidegate.audit.FactsJson;
import io.tidegate.audit.FactsSchemaException;
import io.tidegate.audit.RecordedDecision;
import io.tidegate.decision.Command;
import io.tidegate.decision.Decision;
import io.tidegate.decision.Facts;
import io.tidegate.decision.HeadCommitApprovals;
import io.tidegate.decision.Reason;
import io.tidegate.decision.LockRace;
import io.tidegate.policy.PolicySet;
import io.tidegate.store.AuditRecord;
import io.tidegate.store.AuditStore;

/**
 * Records every decision twice: an append-only audit row and one increment of
 * {@code tidegate.decisions{environment,command,result,reason}} per reason code
 * ({@code reason="none"} for a clean allow; {@code result="would_deny"} for a reason of a rule
 * with {@code enforce: false}). The row names the policy version that decided
 * ({@code sha256:<hex>}, its files kept first by {@link PolicyVersions}; with {@code repos:} the
 * hex is the whole set's, root and named files, and the file whose {@code match} decided follows:
 * {@code sha256:<set hex> policies/infra.yaml}) and holds, as {@link FactsJson} schema 2, everything the engine read, the
 * instant, the policy file problem it was told of, a lock race lost after it and its reasons
 * with their messages: enough for {@code tidegate replay} to decide again and compare. A failing
 * write is thrown, not swallowed: a gate that cannot record must not allow. Safe for concurrent
 * use.
 */
public final class DecisionRecorder {
    /** More gate decisions on one PR than a late apply result could be hidden behind. */
    static final int RECENT_DECISIONS = 200;

    private final AuditStore audit;
    private final MeterRegistry registry;
    private final PolicyVersions versions;
    /**
     * The file that decides for a repository under {@code repos:} in the policy set that
     * decided; empty without repos, or when it cannot be told any more.
     */
    private final BiFunction<String, PolicySet, Optional<String>> policyFileOf;

    public DecisionRecorder(AuditStore audit, MeterRegistry registry, PolicyVersions versions) {
        this.audit = Objects.requireNonNull(audit, "audit == null");
        this.registry = Objects.requireNonNull(registry, "registry == null");
        this.versions = Objects.requireNonNull(versions, "versions == null");
        this.policyFileOf = (repo, policy) -> Optional.empty();
    }

    /**
     * @param policyFileOf the file named under {@code repos:} that decides for a repository in
     *                     the given policy set ({@link PolicyHolder#decidingFile})
     */
    public DecisionRecorder(AuditStore audit, MeterRegistry registry, PolicyVersions versions,
            BiFunction<String, PolicySet, Optional<String>> policyFileOf) {
        this.audit = Objects.requireNonNull(audit, "audit == null");
        this.registry = Objects.requireNonNull(registry, "registry == null");
        this.versions = Objects.requireNonNull(versions, "versions == null");
        this.policyFileOf = Objects.requireNonNull(policyFileOf, "policyFileOf == null");
    }

    /**
     * The engine's decision with {@code policy} on these facts at {@code at}, and the lock race
     * the gate lost after an allow, if any (then {@code decision} is the race's deny).
     */
    public void record(PolicySet policy, Facts facts, Decision decision, Instant at,
            Optional<LockRace> raced) {
        record(policy, facts, decision, at, raced, facts.command().word());
    }

    /**
     * {@link #record(PolicySet, Facts, Decision, Instant, Optional)} for an Atlantis stage
     * judged as {@code facts.command()}: the audit row and the counter name the stage
     * ({@code import}, {@code state_rm}).
     */
    public void record(PolicySet policy, Facts facts, Decision decision, Instant at,
            Optional<LockRace> raced, String stage) {
        String environment = decision.assessment().environment().orElse("none");
        String result = decision.isAllowed() ? "allow" : "deny";
        versions.keep(policy);
        append(policy, facts, stage, environment, result, decision.codes(),
                FactsJson.decision(facts, decision, at, policy.fileProblem(), raced), at);
        count(environment, stage, result, decision.codes());
    }

    /**
     * A deny the gate gave without the engine ({@link io.tidegate.decision.GateRefusal}): the
     * facts could not be gathered, nobody commented the apply, or Atlantis applies another
     * commit than the PR's head. {@code claimed} holds what Atlantis said about the PR; the
     * refusal's message is kept with it. The audit row names {@code stage}.
     */
    public void recordRefusal(PolicySet policy, Facts claimed, Decision refusal, Instant at,
            String stage) {
        String environment = refusal.assessment().environment().orElse("none");
        versions.keep(policy);
        append(policy, claimed, stage, environment, "deny", refusal.codes(),
                FactsJson.refusal(claimed, refusal.reasons().get(0).message(), at), at);
        count(environment, stage, "deny", refusal.codes());
    }

    /**
     * Whether the gate denied an apply of {@code project} of the PR at or after {@code since}.
     * Atlantis reports a refused apply as failed ({@code Success: false}); such a report must
     * not be taken for the late result of an earlier apply. Reads the PR's newest
     * {@value #RECENT_DECISIONS} audit rows, newest first.
     */
    boolean deniedApplySince(String repo, int pr, String project, Instant since) {
        return audit.forPullRequest(repo, pr, RECENT_DECISIONS).stream()
                .anyMatch(r -> r.command().equals(Command.APPLY.word())
                        && r.project().equals(project) && r.decision().equals("deny")
                        && !r.time().isBefore(since));
    }

    /** What the gate read when it allowed an apply: the PR's title and who had approved. */
    record AllowedApply(String title, List<String> approvers) {
        static final AllowedApply UNKNOWN = new AllowedApply("", List.of());
    }

    /**
     * The PR's title and who had approved {@code commit} on GitHub when the gate allowed the
     * apply of {@code project} that started at {@code startedAt}, read from that allow's audit
     * row ({@link HeadCommitApprovals#approvers}); {@link AllowedApply#UNKNOWN} when the row
     * is not found. For the apply messages, which must not call GitHub.
     */
    AllowedApply allowedApply(String repo, int pr, String project, String commit,
            Instant startedAt) {
        return audit.forPullRequest(repo, pr, RECENT_DECISIONS).stream()
                .filter(r -> r.command().equals(Command.APPLY.word())
                        && r.decision().equals("allow") && r.project().equals(project)
                        && r.headSha().equals(commit) && !r.time().isAfter(startedAt))
                .max(java.util.Comparator.comparing(AuditRecord::time))
                .map(r -> allowedApply(r, commit)).orElse(AllowedApply.UNKNOWN);
    }

    /** The row's facts read back: the title and who had approved the commit (or unknown). */
    private static AllowedApply allowedApply(AuditRecord row, String commit) {
        try {
            RecordedDecision recorded = FactsJson.read(row);
            return new AllowedApply(recorded.facts().pullRequest().title(),
                    HeadCommitApprovals.approvers(recorded.facts().reviews(), commit));
        } catch (FactsSchemaException e) {
            // a row we wrote ourselves; unreadable only if corrupted, and then nothing is found
            return AllowedApply.UNKNOWN;
        }
    }

    private void append(PolicySet policy, Facts f, String stage, String environment,
            String result, List<String> codes, String factsJson, Instant at) {
        String repo = f.pullRequest().repo();
        audit.append(new AuditRecord(at, repo, f.pullRequest().number(),
                f.pullRequest().headSha(), f.project().label(), environment,
                stage, f.actor(), result, codes, "sha256:" + policy.sha256()
                        + policyFileOf.apply(repo, policy).map(file -> " " + file).orElse(""),
                factsJson));
    }

    private void count(String environment, String command, String result, List<String> codes) {
        // One increment per reason, so a dashboard can ask "how often does the window block?"
        List<String> enforced = codes.stream().filter(c -> !c.startsWith(Reason.WOULD_DENY))
                .toList();
        for (String code : enforced.isEmpty() ? List.of("none") : enforced) {
            increment(environment, command, result, code);
        }
        // A rule with enforce: false counts as result="would_deny" under its plain code, so a
        // team sees what a rule would block before turning it on.
        codes.stream().filter(c -> c.startsWith(Reason.WOULD_DENY)).forEach(c -> increment(
                environment, command, "would_deny", c.substring(Reason.WOULD_DENY.length())));
    }

    private void increment(String environment, String command, String result, String code) {
        Counter.builder("tidegate.decisions")
                .description("Gate and review decisions, one count per reason code")
                .tag("environment", environment).tag("command", command)
                .tag("result", result).tag("reason", code)
                .register(registry).increment();
    }
}
