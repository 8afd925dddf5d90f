package io.tidegate.policy;

import java.util.Collection;
import java.util.Objects;
import java.util.Set;

/**
 * A named role: a person has it when listed under {@code users} or a member of one of its
 * {@code teams} ({@code org/team-slug}, compared case-insensitively as GitHub does for slugs).
 */
public record Role(String name, Set<String> users, Set<String> teams) {
    public Role {
        Objects.requireNonNull(name, "name == null");
        users = OrderedSets.copyOf(users, "users");
        teams = OrderedSets.copyOf(teams, "teams");
    }

    /** Whether this login, member of these teams, has the role. */
    public boolean isHeldBy(String login, Collection<String> memberships) {
        if (users.stream().anyMatch(u -> u.equalsIgnoreCase(login))) {
            return true;
        }
        for (String team : memberships) {
            if (teams.stream().anyMatch(t -> t.equalsIgnoreCase(team))) {
                return true;
            }
        }
        return false;
    }
}
