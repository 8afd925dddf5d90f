package io.tidegate.decision;

import java.util.Objects;
import java.util.Set;

/**
 * A file the pull request changes and its code owners from GitHub's CODEOWNERS at the base
 * branch (the last matching pattern's owners: {@code @login}, {@code @org/team-slug}, or an
 * e-mail address, which Tidegate cannot tie to a login and so never satisfies). No owners means
 * nobody's approval is needed for it, as on GitHub.
 */
public record OwnedFile(String path, Set<String> owners) {
    public OwnedFile {
        Objects.requireNonNull(path, "path == null");
        owners = java.util.Collections.unmodifiableSet(new java.util.LinkedHashSet<>(
                Objects.requireNonNull(owners, "owners == null")));
    }
}
