package io.tidegate.review;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.tidegate.audit.FactsJson;
import io.tidegate.decision.Command;
import io.tidegate.decision.Decision;
import io.tidegate.decision.Facts;
import io.tidegate.decision.LockRace;
import io.tidegate.policy.PolicySet;
import io.tidegate.store.AuditRecord;
import io.tidegate.store.AuditStore;

/**
 * Records every decision twice: an append-only audit row and one increment of
 * {@code tidegate.decisions{environment,command,result,reason}} per reason code
 * ({@code reason="none"} for a clean allow). The row names the policy version that decided
 * ({@code sha256:<hex>}, its text kept first by {@link PolicyVersions}) and holds, as
 * {@link FactsJson} schema 2, everything the engine read, the instant, the policy file problem
 * it was told of, a lock race lost after it and its reasons with their messages: enough for
 * {@code tidegate replay} to decide again and compare. A failing write is thrown, not
 * swallowed: a gate that cannot record must not allow. Safe for concurrent use.
 */
public final class DecisionRecorder {
    /** Gate-only reason codes (not the engine's): see {@link #recordRefusal}. */
    public static final String FACTS_UNAVAILABLE = "facts-unavailable";
    public static final String ACTOR_UNKNOWN = "actor-unknown";
    public static final String HEAD_MOVED = "head-moved";
    /** More gate decisions on one PR than a late apply result could be hidden behind. */
    static final int RECENT_DECISIONS = 200;

    private final AuditStore audit;
    private final MeterRegistry registry;
    private final PolicyVersions versions;

    public DecisionRecorder(AuditStore audit, MeterRegistry registry, PolicyVersions versions) {
        this.audit = Objects.requireNonNull(audit, "audit == null");
        this.registry = Objects.requireNonNull(registry, "registry == null");
        this.versions = Objects.requireNonNull(versions, "versions == null");
    }

    /**
     * The engine's decision with {@code policy} on these facts at {@code at}, and the lock race
     * the gate lost after an allow, if any (then {@code decision} is the race's deny).
     */
    public void record(PolicySet policy, Facts facts, Decision decision, Instant at,
            Optional<LockRace> raced) {
        String environment = decision.assessment().environment().orElse("none");
        String result = decision.isAllowed() ? "allow" : "deny";
        versions.keep(policy);
        append(policy, facts, environment, result, decision.codes(), FactsJson.decision(facts,
                decision, at, policy.fileProblem(), raced), at);
        count(environment, facts.command().word(), result, decision.codes());
    }

    /**
     * A deny the gate gave without the engine: the facts could not be gathered
     * ({@link #FACTS_UNAVAILABLE}), nobody commented the apply ({@link #ACTOR_UNKNOWN}), or
     * Atlantis applies another commit than the PR's head ({@link #HEAD_MOVED}). {@code claimed}
     * holds what Atlantis said about the PR; {@code why} is kept with it.
     */
    public void recordRefusal(PolicySet policy, Facts claimed, String environment, String code,
            String why, Instant at) {
        versions.keep(policy);
        append(policy, claimed, environment, "deny", List.of(code),
                FactsJson.refusal(claimed, why, at), at);
        count(environment, claimed.command().word(), "deny", List.of(code));
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

    private void append(PolicySet policy, Facts f, String environment, String result,
            List<String> codes, String factsJson, Instant at) {
        audit.append(new AuditRecord(at, f.pullRequest().repo(), f.pullRequest().number(),
                f.pullRequest().headSha(), f.project().label(), environment,
                f.command().word(), f.actor(), result, codes, "sha256:" + policy.sha256(),
                factsJson));
    }

    private void count(String environment, String command, String result, List<String> codes) {
        // One increment per reason, so a dashboard can ask "how often does the window block?"
        for (String code : codes.isEmpty() ? List.of("none") : codes) {
            Counter.builder("tidegate.decisions")
                    .description("Gate and review decisions, one count per reason code")
                    .tag("environment", environment).tag("command", command)
                    .tag("result", result).tag("reason", code)
                    .register(registry).increment();
        }
    }
}
