package io.tidegate.store;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** A page of deployments and the cursor of the next page, empty on the last one. */
public record DeploymentPage(List<Deployment> items, Optional<String> nextCursor) {
    public DeploymentPage {
        items = List.copyOf(Objects.requireNonNull(items, "items == null"));
        Objects.requireNonNull(nextCursor, "nextCursor == null");
    }
}
