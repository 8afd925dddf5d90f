package io.tidegate.policy;

import java.util.List;
import java.util.Objects;

/**
 * At most {@code max} resources created (replacements included) of the types matching
 * {@code key}: exact Terraform type names or globs, {@code |} separating alternatives
 * ({@code aws_lb|aws_alb|aws_elb}). Never a substring match: {@code aws_instance} does not
 * count {@code aws_instance_profile}. With {@code enforce} false (the {@code resources} block's
 * {@code enforce: false}) an exceeded limit is reported as "would deny".
 */
public record ResourceLimit(String key, List<Glob> types, int max, boolean enforce) {
    public ResourceLimit {
        Objects.requireNonNull(key, "key == null");
        types = List.copyOf(Objects.requireNonNull(types, "types == null"));
    }

    public ResourceLimit(String key, List<Glob> types, int max) {
        this(key, types, max, true);
    }

    public boolean counts(String resourceType) {
        return types.stream().anyMatch(g -> g.matches(resourceType));
    }
}
