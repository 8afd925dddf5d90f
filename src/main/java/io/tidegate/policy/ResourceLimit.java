package io.tidegate.policy;

import java.util.List;
import java.util.Objects;

/**
 * At most {@code max} resources created (replacements included) of the types matching
 * {@code key}: exact Terraform type names or globs, {@code |} separating alternatives
 * ({@code aws_lb|aws_alb|aws_elb}). Never a substring match: {@code aws_instance} does not
 * count {@code aws_instance_profile}.
 */
public record ResourceLimit(String key, List<Glob> types, int max) {
    public ResourceLimit {
        Objects.requireNonNull(key, "key == null");
        types = List.copyOf(Objects.requireNonNull(types, "types == null"));
    }

    public boolean counts(String resourceType) {
        return types.stream().anyMatch(g -> g.matches(resourceType));
    }
}
