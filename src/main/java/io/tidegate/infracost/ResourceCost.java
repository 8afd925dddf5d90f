package io.tidegate.infracost;

import java.math.BigDecimal;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One line of a cost breakdown, for display: a Terraform address such as
 * {@code module.db.aws_db_instance.this[0]} (or a sub-resource name such as
 * {@code root_block_device}), its monthly cost (empty = unknown, e.g. usage-based with no usage
 * file), its priced components and its sub-resources.
 */
public record ResourceCost(
        String name,
        Optional<BigDecimal> monthlyCost,
        List<CostComponent> components,
        List<ResourceCost> subresources) {
    public ResourceCost {
        Objects.requireNonNull(name, "name == null");
        Objects.requireNonNull(monthlyCost, "monthlyCost == null");
        components = List.copyOf(Objects.requireNonNull(components, "components == null"));
        subresources = List.copyOf(Objects.requireNonNull(subresources, "subresources == null"));
    }

    /** A priced part of a resource ("Instance usage (Linux/UNIX, on-demand, t3.nano)"). */
    public record CostComponent(
            String name,
            String unit,
            Optional<BigDecimal> monthlyQuantity,
            Optional<BigDecimal> price,
            Optional<BigDecimal> monthlyCost) {
        public CostComponent {
            Objects.requireNonNull(name, "name == null");
            Objects.requireNonNull(unit, "unit == null");
            Objects.requireNonNull(monthlyQuantity, "monthlyQuantity == null");
            Objects.requireNonNull(price, "price == null");
            Objects.requireNonNull(monthlyCost, "monthlyCost == null");
        }
    }
}
