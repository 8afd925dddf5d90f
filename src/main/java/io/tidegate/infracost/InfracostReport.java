package io.tidegate.infracost;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

import io.tidegate.decision.CostChange;

/**
 * An {@code infracost breakdown --format json} or {@code infracost diff --format json} output
 * (schema version 0.x), as read by {@link InfracostParser}.
 *
 * @param version  the schema {@code version}, e.g. {@code 0.2}
 * @param currency ISO currency of every figure, e.g. {@code USD}
 * @param projects in the order Infracost printed them
 * @param totals   the report's past, current and diff monthly totals
 */
public record InfracostReport(
        String version, String currency, List<InfracostProject> projects, MonthlyCosts totals) {
    public InfracostReport {
        Objects.requireNonNull(version, "version == null");
        Objects.requireNonNull(currency, "currency == null");
        projects = List.copyOf(Objects.requireNonNull(projects, "projects == null"));
        Objects.requireNonNull(totals, "totals == null");
    }

    public List<InfracostProject> projectsWithErrors() {
        return projects.stream().filter(InfracostProject::hasErrors).toList();
    }

    /**
     * The cost of everything in this report, as the decision reads it: the report's monthly
     * increase and new total. One {@code infracost breakdown --path $SHOWFILE} covers exactly one
     * Atlantis project, so this is that project's cost. Unknown as a whole when any project has
     * errors, since the totals then leave out what Infracost could not evaluate.
     */
    public CostChange costChange() {
        if (!projectsWithErrors().isEmpty()) {
            return CostChange.UNKNOWN;
        }
        return new CostChange(totals.increase(), totals.current(), Optional.of(currency));
    }

    /** The project with this key; empty when the report does not have it. */
    public Optional<InfracostProject> project(InfracostProject.Key key) {
        return projects.stream().filter(p -> p.key().equals(key)).findFirst();
    }
}
