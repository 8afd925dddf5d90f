package io.tidegate.decision;

/** The Atlantis command being gated. */
public enum Command {
    PLAN,
    APPLY;

    public String word() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
