package io.tidegate.policy;

import java.math.BigDecimal;
import java.time.ZoneId;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * A parsed, validated policy ({@code policies/policy.yaml}): roles, ordered environments, cost
 * tiers, windows and notification routing. Built only by {@link PolicyParser}, which has already
 * checked that every role and window named exists, so lookups by name here cannot miss for
 * names taken from the policy itself.
 */
public record PolicySet(
        int version,
        ZoneId timezone,
        Map<String, Role> roles,
        List<Environment> environments,
        List<CostTier> costApprovals,
        Map<String, Window> windows,
        NotificationRules notifications) {
    public PolicySet {
        Objects.requireNonNull(timezone, "timezone == null");
        roles = Map.copyOf(Objects.requireNonNull(roles, "roles == null"));
        environments = List.copyOf(Objects.requireNonNull(environments, "environments == null"));
        costApprovals = List.copyOf(Objects.requireNonNull(costApprovals, "costApprovals == null"));
        windows = Map.copyOf(Objects.requireNonNull(windows, "windows == null"));
        Objects.requireNonNull(notifications, "notifications == null");
    }

    /**
     * The environment an Atlantis project belongs to: the first, in policy order, whose match
     * fits. {@code name} is the project's name ("" for unnamed projects), {@code dir} its
     * repo-relative dir. The decision package offers the same for a {@code ProjectRef}.
     */
    public Optional<Environment> environmentFor(String name, String dir, String workspace) {
        return environments.stream().filter(e -> e.match().matches(name, dir, workspace))
                .findFirst();
    }

    public Optional<Environment> environment(String name) {
        return environments.stream().filter(e -> e.name().equals(name)).findFirst();
    }

    public Optional<Window> window(String name) {
        return Optional.ofNullable(windows.get(name));
    }

    /** Whether this login (member of these teams) holds the named role. */
    public boolean hasRole(String role, String login, Collection<String> teams) {
        Role r = roles.get(role);
        return r != null && r.isHeldBy(login, teams);
    }

    /** Whether this login holds any of the roles. */
    public boolean hasAnyRole(Collection<String> roleNames, String login,
            Collection<String> teams) {
        return roleNames.stream().anyMatch(r -> hasRole(r, login, teams));
    }

    /** Every role this login holds, sorted. */
    public Set<String> rolesOf(String login, Collection<String> teams) {
        Set<String> out = new TreeSet<>();
        roles.values().stream().filter(r -> r.isHeldBy(login, teams))
                .forEach(r -> out.add(r.name()));
        return out;
    }

    /** The highest {@code cost_approvals} row whose {@code above} the increase exceeds. */
    public Optional<CostTier> tierFor(BigDecimal monthlyIncrease) {
        CostTier best = null;
        for (CostTier t : costApprovals) {
            if (monthlyIncrease.compareTo(t.above()) > 0
                    && (best == null || t.above().compareTo(best.above()) > 0)) {
                best = t;
            }
        }
        return Optional.ofNullable(best);
    }
}
