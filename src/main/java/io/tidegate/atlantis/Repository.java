package io.tidegate.atlantis;

import java.util.Objects;

/** A GitHub repository as Atlantis names it: owner and name. */
public record Repository(String owner, String name) {
    public Repository {
        Objects.requireNonNull(owner, "owner == null");
        Objects.requireNonNull(name, "name == null");
    }

    /** {@code owner/name}, as in {@code BASE_REPO_OWNER/BASE_REPO_NAME} or {@code FullName}. */
    public String fullName() {
        return owner + "/" + name;
    }
}
