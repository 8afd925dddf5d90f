package io.tidegate.infracost;

import java.util.List;
import java.util.Objects;

import io.tidegate.decision.CostChange;

/**
 * One project of an Infracost report. Infracost repeats names (one name for several Terragrunt
 * modules or workspaces), so a project is identified by {@link #key()}: name, path and workspace
 * together.
 *
 * @param name          Infracost's project name (often the repo plus sub-path)
 * @param path          {@code metadata.path}
 * @param workspace     {@code metadata.terraformWorkspace}, empty when Infracost names none
 * @param modulePath    {@code metadata.terraformModulePath}, empty when none
 * @param monthly       the project's past, current and diff monthly totals
 * @param resources     the current breakdown's resources (what it will cost)
 * @param diffResources the diff's resources (what changes the cost)
 * @param errors        {@code metadata.errors}: when any, the figures are not to be trusted
 */
public record InfracostProject(
        String name,
        String path,
        String workspace,
        String modulePath,
        MonthlyCosts monthly,
        List<ResourceCost> resources,
        List<ResourceCost> diffResources,
        List<ProjectError> errors) {
    public InfracostProject {
        Objects.requireNonNull(name, "name == null");
        Objects.requireNonNull(path, "path == null");
        Objects.requireNonNull(workspace, "workspace == null");
        Objects.requireNonNull(modulePath, "modulePath == null");
        Objects.requireNonNull(monthly, "monthly == null");
        resources = List.copyOf(Objects.requireNonNull(resources, "resources == null"));
        diffResources = List.copyOf(Objects.requireNonNull(diffResources, "diffResources == null"));
        errors = List.copyOf(Objects.requireNonNull(errors, "errors == null"));
    }

    /** What tells this project apart from others with the same name. */
    public record Key(String name, String path, String workspace) {
        public Key {
            Objects.requireNonNull(name, "name == null");
            Objects.requireNonNull(path, "path == null");
            Objects.requireNonNull(workspace, "workspace == null");
        }

        @Override
        public String toString() {
            return workspace.isEmpty()
                    ? name + " (" + path + ")"
                    : name + " (" + path + ", workspace " + workspace + ")";
        }
    }

    /** One diagnostic from {@code metadata.errors}. */
    public record ProjectError(int code, String message) {
        public ProjectError {
            Objects.requireNonNull(message, "message == null");
        }
    }

    public Key key() {
        return new Key(name, path, workspace);
    }

    public boolean hasErrors() {
        return !errors.isEmpty();
    }

    /**
     * This project's cost as the decision reads it. A project Infracost reported errors for is
     * entirely unknown: its totals may cover only the part Infracost could evaluate.
     */
    public CostChange costChange() {
        if (hasErrors()) {
            return CostChange.UNKNOWN;
        }
        return new CostChange(monthly.increase(), monthly.current());
    }
}
