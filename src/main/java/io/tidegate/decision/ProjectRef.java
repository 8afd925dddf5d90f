package io.tidegate.decision;

import java.util.Objects;

/**
 * An Atlantis project as a command or a report names it: the project name from
 * {@code atlantis.yaml} (may be empty for unnamed projects), the repo-relative dir and the
 * Terraform workspace.
 */
public record ProjectRef(String name, String dir, String workspace) {
    public ProjectRef {
        Objects.requireNonNull(name, "name == null");
        Objects.requireNonNull(dir, "dir == null");
        Objects.requireNonNull(workspace, "workspace == null");
    }

    /** How a person recognises the project: its name, or dir and workspace for unnamed ones. */
    public String label() {
        return name.isEmpty() ? dir + " (" + workspace + ")" : name;
    }
}
