package io.tidegate.review;

import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.tidegate.decision.Command;
import io.tidegate.decision.Decision;
import io.tidegate.decision.Facts;
import io.tidegate.decision.Reason;
import io.tidegate.store.AuditRecord;
import io.tidegate.store.AuditStore;

/**
 * Records every decision twice: an append-only audit row (with the hash of the policy file it
 * used and the facts it read, as JSON, so it can be replayed) and one increment of
 * {@code tidegate.decisions{environment,command,result,reason}} per reason code
 * ({@code reason="none"} for a clean allow; {@code result="would_deny"} for a reason of a rule
 * with {@code enforce: false}). A failing audit write is thrown, not swallowed: a
 * gate that cannot record must not allow. Safe for concurrent use.
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
    private final ObjectMapper json;
    private final java.util.function.Function<String, String> policyHash;

    public DecisionRecorder(AuditStore audit, MeterRegistry registry, ObjectMapper json,
            Supplier<String> policyHash) {
        this.audit = Objects.requireNonNull(audit, "audit == null");
        this.registry = Objects.requireNonNull(registry, "registry == null");
        // Facts hold Optionals (unknown cost): written as the value or null.
        this.json = Objects.requireNonNull(json, "json == null").copy()
                .registerModule(new SimpleModule().addSerializer(new OptionalAsNullable()));
        Objects.requireNonNull(policyHash, "policyHash == null");
        this.policyHash = repo -> policyHash.get();
    }

    /**
     * @param policyHashOf what decided for a repository, e.g. {@code sha256:<hex>} or, with
     *                     {@code repos:}, {@code sha256:<hex of the file> policies/infra.yaml}
     */
    public DecisionRecorder(AuditStore audit, MeterRegistry registry, ObjectMapper json,
            java.util.function.Function<String, String> policyHashOf) {
        this.audit = Objects.requireNonNull(audit, "audit == null");
        this.registry = Objects.requireNonNull(registry, "registry == null");
        this.json = Objects.requireNonNull(json, "json == null").copy()
                .registerModule(new SimpleModule().addSerializer(new OptionalAsNullable()));
        this.policyHash = Objects.requireNonNull(policyHashOf, "policyHashOf == null");
    }

    /** An engine's decision on these facts. */
    public void record(Facts facts, Decision decision, Instant at) {
        record(facts, decision, at, facts.command().word());
    }

    /**
     * An engine's decision for an Atlantis stage judged as {@code facts.command()}: the audit
     * row and the counter name the stage ({@code import}, {@code state_rm}).
     */
    public void record(Facts facts, Decision decision, Instant at, String stage) {
        String environment = decision.assessment().environment().orElse("none");
        String result = decision.isAllowed() ? "allow" : "deny";
        append(facts, stage, environment, result, decision.codes(), factsJson(facts), at);
        count(environment, stage, result, decision.codes());
    }

    /**
     * A deny the gate gave without the engine: the facts could not be gathered
     * ({@link #FACTS_UNAVAILABLE}), nobody commented the apply ({@link #ACTOR_UNKNOWN}), or
     * Atlantis applies another commit than the PR's head ({@link #HEAD_MOVED}). {@code claimed}
     * holds what Atlantis said about the PR; {@code why} is kept with it.
     */
    public void recordRefusal(Facts claimed, String environment, String code, String why,
            Instant at) {
        recordRefusal(claimed, environment, code, why, at, claimed.command().word());
    }

    /** A refusal of an Atlantis stage; the audit row names {@code stage}. */
    public void recordRefusal(Facts claimed, String environment, String code, String why,
            Instant at, String stage) {
        String facts = "{\"refused\":" + quote(why) + ",\"claimed\":" + factsJson(claimed)
                + "}";
        append(claimed, stage, environment, "deny", List.of(code), facts, at);
        count(environment, stage, "deny", List.of(code));
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
     * row (each reviewer's last review of the commit); {@link AllowedApply#UNKNOWN} when the row
     * is not found. For the apply messages, which must not call GitHub.
     */
    AllowedApply allowedApply(String repo, int pr, String project, String commit,
            Instant startedAt) {
        return audit.forPullRequest(repo, pr, RECENT_DECISIONS).stream()
                .filter(r -> r.command().equals(Command.APPLY.word())
                        && r.decision().equals("allow") && r.project().equals(project)
                        && r.headSha().equals(commit) && !r.time().isAfter(startedAt))
                .max(java.util.Comparator.comparing(AuditRecord::time))
                .map(r -> allowedApply(r.factsJson(), commit)).orElse(AllowedApply.UNKNOWN);
    }

    private AllowedApply allowedApply(String factsJson, String commit) {
        java.util.Map<String, String> last = new java.util.LinkedHashMap<>();
        com.fasterxml.jackson.databind.JsonNode facts;
        try {
            facts = json.readTree(factsJson);
        } catch (JsonProcessingException e) {
            return AllowedApply.UNKNOWN; // a row we wrote ourselves; unreadable only if corrupted
        }
        for (com.fasterxml.jackson.databind.JsonNode review : facts.path("reviews")) {
            if (commit.equals(review.path("commitSha").asText())) {
                last.put(review.path("user").asText(), review.path("state").asText());
            }
        }
        return new AllowedApply(facts.path("pullRequest").path("title").asText(""),
                last.entrySet().stream().filter(e -> e.getValue().equals("APPROVED"))
                        .map(java.util.Map.Entry::getKey).toList());
    }

    private void append(Facts f, String stage, String environment, String result,
            List<String> codes, String factsJson, Instant at) {
        audit.append(new AuditRecord(at, f.pullRequest().repo(), f.pullRequest().number(),
                f.pullRequest().headSha(), f.project().label(), environment,
                stage, f.actor(), result, codes, policyHash.apply(f.pullRequest().repo()),
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

    private String factsJson(Facts facts) {
        try {
            return json.writeValueAsString(facts);
        } catch (JsonProcessingException e) {
            // Facts are plain records: this is a programming error, not bad input.
            throw new IllegalStateException("facts could not be written as JSON", e);
        }
    }

    /** Writes an {@code Optional} as its value, or {@code null} when empty. */
    @SuppressWarnings("rawtypes")
    private static final class OptionalAsNullable extends StdSerializer<Optional> {
        OptionalAsNullable() {
            super(Optional.class);
        }

        @Override
        public void serialize(Optional value, JsonGenerator gen, SerializerProvider provider)
                throws IOException {
            if (value.isPresent()) {
                provider.defaultSerializeValue(value.get(), gen);
            } else {
                gen.writeNull();
            }
        }
    }

    private String quote(String s) {
        try {
            return json.writeValueAsString(s);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
