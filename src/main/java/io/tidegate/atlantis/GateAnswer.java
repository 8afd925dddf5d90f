package io.tidegate.atlantis;

import java.util.Objects;

/**
 * Tidegate's answer to a gate request, as the hook receives it: HTTP 200 with a body starting
 * {@value #ALLOW_MARKER}, or 403 with a body starting {@value #DENY_MARKER}. {@code text} is the
 * explanation under the marker line (shown in the PR comment by Atlantis).
 */
public sealed interface GateAnswer {
    /** The exact first line {@code tidegate-hook} requires before it lets a command run. */
    String ALLOW_MARKER = "TIDEGATE: ALLOW";
    String DENY_MARKER = "TIDEGATE: DENY";

    String text();

    int httpStatus();

    /** The plain-text body: marker line, then the explanation, ending in a newline. */
    default String body() {
        String marker = this instanceof Allow ? ALLOW_MARKER : DENY_MARKER;
        String t = text().strip();
        return t.isEmpty() ? marker + "\n" : marker + "\n" + t + "\n";
    }

    record Allow(String text) implements GateAnswer {
        public Allow {
            Objects.requireNonNull(text, "text == null");
        }

        @Override
        public int httpStatus() {
            return 200;
        }
    }

    record Deny(String text) implements GateAnswer {
        public Deny {
            Objects.requireNonNull(text, "text == null");
        }

        @Override
        public int httpStatus() {
            return 403;
        }
    }
}
