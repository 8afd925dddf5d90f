package io.tidegate.decision;

import java.util.List;
import java.util.Objects;

/**
 * The outcome of {@link DecisionEngine#decide}: allow or deny, every reason at once, and the
 * {@link Assessment} (environment, approvals, window, cost, resources, override, lock) that the
 * PR comment and commit statuses render. A deny is data, not an exception. An allow may carry
 * notes (codes that are not {@link ReasonCode#isBlocking() blocking}); a deny carries at least
 * one blocking reason.
 */
public sealed interface Decision {
    List<Reason> reasons();

    Assessment assessment();

    default boolean isAllowed() {
        return this instanceof Allow;
    }

    /** The reason codes' spellings, in order. */
    default List<String> codes() {
        return reasons().stream().map(Reason::key).toList();
    }

    record Allow(List<Reason> reasons, Assessment assessment) implements Decision {
        public Allow {
            reasons = List.copyOf(Objects.requireNonNull(reasons, "reasons == null"));
            Objects.requireNonNull(assessment, "assessment == null");
            if (reasons.stream().anyMatch(Reason::isBlocking)) {
                throw new IllegalArgumentException("an allow cannot carry a blocking reason: "
                        + reasons);
            }
        }
    }

    record Deny(List<Reason> reasons, Assessment assessment) implements Decision {
        public Deny {
            reasons = List.copyOf(Objects.requireNonNull(reasons, "reasons == null"));
            Objects.requireNonNull(assessment, "assessment == null");
            if (reasons.stream().noneMatch(Reason::isBlocking)) {
                throw new IllegalArgumentException("a deny needs a blocking reason: " + reasons);
            }
        }
    }
}
