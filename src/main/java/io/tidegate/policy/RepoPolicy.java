package io.tidegate.policy;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * One entry of {@code repos:}: the repositories it governs ({@code owner/name} globs, compared
 * case-insensitively as GitHub compares names) and the policy that decides for them, read from
 * {@code file} (the referring file itself for inline keys).
 *
 * <pre>
 * repos:
 *   - match: ["acme/infra", "acme/infra-*"]
 *     policy: infra.yaml          # relative to this file; or the policy's keys inline
 * </pre>
 */
public record RepoPolicy(List<Glob> match, String file, PolicySet policy) {
    public RepoPolicy {
        match = List.copyOf(Objects.requireNonNull(match, "match == null"));
        Objects.requireNonNull(file, "file == null");
        Objects.requireNonNull(policy, "policy == null");
        if (match.isEmpty()) {
            throw new IllegalArgumentException("a repos entry needs at least one pattern");
        }
    }

    public boolean governs(String repo) {
        String r = repo.toLowerCase(Locale.ROOT);
        return match.stream().anyMatch(g -> g.matches(r));
    }
}
