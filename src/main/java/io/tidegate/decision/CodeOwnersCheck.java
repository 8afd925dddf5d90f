package io.tidegate.decision;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.tidegate.policy.Environment;

/**
 * {@code approvals.codeowners: true}: every changed file that has code owners needs a counted
 * approval (head commit, not the author's, cost given for) from one of them: {@code @login} is
 * that login, {@code @org/team} any member of the team (as the facts' memberships say). The
 * CODEOWNERS file not read (no facts) fails closed.
 */
final class CodeOwnersCheck {
    private static final int NAMED = 5;

    private CodeOwnersCheck() {}

    static Optional<Reason> reason(Environment env, Facts facts, ReviewTally.Tally anyone) {
        if (!env.apply().approvals().codeowners()) {
            return Optional.empty();
        }
        if (facts.ownedFiles().isEmpty()) {
            // Rule: codeowners with the CODEOWNERS file or the changed files unknown denies.
            return Optional.of(Reason.of(ReasonCode.CODEOWNERS_APPROVAL_MISSING, "the code "
                    + "owners of the changed files are not known, so " + env.name()
                    + "'s codeowners rule cannot be checked",
                    "make sure Tidegate can read the pull request's files and CODEOWNERS"));
        }
        Map<Set<String>, List<String>> missing = new LinkedHashMap<>();
        for (OwnedFile f : facts.ownedFiles().get()) {
            if (!f.owners().isEmpty() && anyone.approvers().stream()
                    .noneMatch(u -> owns(f.owners(), u, facts))) {
                missing.computeIfAbsent(f.owners(), k -> new ArrayList<>()).add(f.path());
            }
        }
        if (missing.isEmpty()) {
            return Optional.empty();
        }
        List<String> needs = new ArrayList<>();
        missing.forEach((owners, files) -> needs.add("needs one of " + Text.or(owners)
                + " (missing: " + named(files) + ")"));
        return Optional.of(Reason.of(ReasonCode.CODEOWNERS_APPROVAL_MISSING, env.name()
                + " needs a code owner's approval for every changed file; "
                + Text.plural(missing.values().stream().mapToInt(List::size).sum(), "file",
                        "files") + " without one", String.join("; ", needs)));
    }

    /** Whether this login is one of the owners, or in one of the owning teams. */
    static boolean owns(Set<String> owners, String login, Facts facts) {
        for (String o : owners) {
            String name = o.startsWith("@") ? o.substring(1) : o;
            if (name.contains("/")) {
                if (Logins.teamsOf(facts, login).stream().anyMatch(name::equalsIgnoreCase)) {
                    return true;
                }
            } else if (o.startsWith("@") && name.toLowerCase(Locale.ROOT)
                    .equals(login.toLowerCase(Locale.ROOT))) {
                return true;
            }
        }
        return false;
    }

    private static String named(List<String> files) {
        if (files.size() <= NAMED) {
            return String.join(", ", files);
        }
        return String.join(", ", files.subList(0, NAMED)) + " and " + (files.size() - NAMED)
                + " more";
    }
}
