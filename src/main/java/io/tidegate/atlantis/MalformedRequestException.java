package io.tidegate.atlantis;

import java.util.List;

/**
 * A gate request, plan-upload {@code meta} part or apply-result webhook that Tidegate refuses
 * (HTTP 400). The message lists every problem, each naming its field, e.g.
 * {@code pull_num: expected a positive integer, found "abc"; head_commit: required}.
 * It quotes only the offending values of fields Tidegate reads, never the payload, so an
 * Atlantis {@code Repo.CloneURL} with a token can never end up in it.
 */
public final class MalformedRequestException extends RuntimeException {
    private final List<String> problems;

    public MalformedRequestException(String what, List<String> problems) {
        super(what + ": " + String.join("; ", problems), null, false, false);
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
