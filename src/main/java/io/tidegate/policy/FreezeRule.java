package io.tidegate.policy;

import java.util.Objects;
import java.util.Set;

/**
 * Who may freeze an environment on demand ({@code tidegate freeze}, {@code tidegate unfreeze},
 * {@code tidegate unlock}): {@code freeze: { by: [devops-lead] }} on an environment, or at the
 * top level for every environment that has none of its own. {@link #NOBODY} when the policy says
 * nothing: then only the API (the operator's token) can freeze.
 */
public record FreezeRule(Set<String> by) {
    public static final FreezeRule NOBODY = new FreezeRule(Set.of());

    public FreezeRule {
        by = OrderedSets.copyOf(Objects.requireNonNull(by, "by == null"), "by");
    }
}
