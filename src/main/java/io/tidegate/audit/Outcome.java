package io.tidegate.audit;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

import io.tidegate.decision.Decision;
import io.tidegate.decision.Reason;

/**
 * A decision's answer in comparable form: the verdict, the reason codes in order and, when
 * known, each reason's message and remedy (schema 1 rows kept only the codes).
 */
public record Outcome(String verdict, List<String> codes,
        Optional<List<RecordedDecision.RecordedReason>> reasons) {
    public Outcome {
        Objects.requireNonNull(verdict, "verdict == null");
        codes = List.copyOf(Objects.requireNonNull(codes, "codes == null"));
        reasons = Objects.requireNonNull(reasons, "reasons == null").map(List::copyOf);
    }

    static Outcome of(Decision d) {
        List<RecordedDecision.RecordedReason> reasons = d.reasons().stream()
                .map(Outcome::recorded).toList();
        return new Outcome(d.isAllowed() ? "allow" : "deny", d.codes(), Optional.of(reasons));
    }

    private static RecordedDecision.RecordedReason recorded(Reason r) {
        return new RecordedDecision.RecordedReason(r.key(), r.message(), r.remedy());
    }

    /**
     * How {@code replayed} differs from this (recorded) outcome, one line per difference:
     * verdict, reason codes, then the message and remedy of each reason both have.
     */
    List<String> differencesTo(Outcome replayed) {
        List<String> out = new java.util.ArrayList<>();
        if (!verdict.equals(replayed.verdict)) {
            out.add("verdict: " + verdict + " -> " + replayed.verdict);
        }
        if (!codes.equals(replayed.codes)) {
            out.add("reasons: " + codes + " -> " + replayed.codes);
        }
        if (reasons.isPresent() && replayed.reasons.isPresent()) {
            for (RecordedDecision.RecordedReason was : reasons.get()) {
                replayed.reasons.get().stream().filter(r -> r.code().equals(was.code()))
                        .findFirst().ifPresent(now -> texts(was, now, out));
            }
        }
        return out;
    }

    private static void texts(RecordedDecision.RecordedReason was,
            RecordedDecision.RecordedReason now, List<String> out) {
        if (!was.message().equals(now.message())) {
            out.add(was.code() + " message: \"" + was.message() + "\" -> \"" + now.message()
                    + "\"");
        }
        if (!was.remedy().equals(now.remedy())) {
            out.add(was.code() + " remedy: " + was.remedy().map(r -> "\"" + r + "\"")
                    .orElse("(none)") + " -> " + now.remedy().map(r -> "\"" + r + "\"")
                    .orElse("(none)"));
        }
    }
}
