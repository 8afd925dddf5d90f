package io.tidegate.health;

/**
 * One thing that must hold before Tidegate can take traffic (the store is open, the policy is
 * loaded). Implementations must be cheap and safe for concurrent use: {@code /readyz} calls
 * every check on every probe.
 */
@FunctionalInterface
public interface Readiness {
    Check check();

    /** The outcome of one readiness check, named so an operator sees which one fails. */
    record Check(String name, boolean ready, String detail) {
        public Check {
            java.util.Objects.requireNonNull(name, "name == null");
            java.util.Objects.requireNonNull(detail, "detail == null");
        }

        public static Check ready(String name, String detail) {
            return new Check(name, true, detail);
        }

        public static Check failing(String name, String detail) {
            return new Check(name, false, detail);
        }
    }
}
