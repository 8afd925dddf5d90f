package io.tidegate.decision;

import java.util.Map;
import java.util.Set;

/** GitHub logins are case-insensitive: {@code Lead-Park} and {@code lead-park} are one person. */
final class Logins {
    private Logins() {}

    /** The teams of a login, found whatever the case the edges used. */
    static Set<String> teamsOf(Facts facts, String login) {
        Set<String> exact = facts.teams().get(login);
        if (exact != null) {
            return exact;
        }
        for (Map.Entry<String, Set<String>> e : facts.teams().entrySet()) {
            if (e.getKey().equalsIgnoreCase(login)) {
                return e.getValue();
            }
        }
        return Set.of();
    }
}
