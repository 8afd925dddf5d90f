package io.tidegate.infracost;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

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

    /** The project with this key; empty when the report does not have it. */
    public Optional<InfracostProject> project(InfracostProject.Key key) {
        return projects.stream().filter(p -> p.key().equals(key)).findFirst();
    }
}
