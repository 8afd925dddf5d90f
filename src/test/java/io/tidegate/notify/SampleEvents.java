package io.tidegate.notify;

import java.math.BigDecimal;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.tidegate.decision.CostChange;
import io.tidegate.decision.PlanChange;
import io.tidegate.decision.ProjectRef;
import io.tidegate.policy.NotificationRules;
import io.tidegate.policy.NotificationRules.Event;
import io.tidegate.policy.NotificationRules.Rule;

/** The seed 004 story as events: a PR adding a Redis cluster, and the policy's routing. */
final class SampleEvents {
    private SampleEvents() {}

    static final PullRequestLink PR = new PullRequestLink("acme/infra", 42,
            "feat(infra): Add Redis cluster for application caching",
            URI.create("https://github.com/acme/infra/pull/42"), "alice");
    static final ProjectRef STAGING = new ProjectRef("staging-environment",
            "environments/staging", "staging");
    static final ProjectRef PROD = new ProjectRef("prod-environment", "environments/prod", "prod");
    static final CostChange COST = new CostChange(Optional.of(new BigDecimal("200.004")),
            Optional.of(new BigDecimal("1450.5")));
    static final PlanChange PLAN = new PlanChange(
            Map.of("aws_elasticache_cluster", 1, "aws_security_group", 1,
                    "aws_elasticache_subnet_group", 1),
            Map.of("aws_route53_record", 1),
            Map.of());

    static NotificationEvent.PlanCompleted planCompleted() {
        return new NotificationEvent.PlanCompleted("staging", PR, STAGING,
                new CostChange(Optional.of(new BigDecimal("50")),
                        Optional.of(new BigDecimal("50"))),
                PLAN);
    }

    static NotificationEvent.ApplyRequested applyRequested() {
        return new NotificationEvent.ApplyRequested("production", PR, PROD, "bob", COST, PLAN,
                List.of("carol"), "1 more approval from devops-lead or cto");
    }

    static NotificationEvent.ApplyCompleted applyCompleted() {
        return new NotificationEvent.ApplyCompleted("production", PR, PROD, "bob", COST, PLAN,
                List.of("carol", "dave"), Optional.of(Duration.ofSeconds(245)));
    }

    static NotificationEvent.ApplyFailed applyFailed() {
        return new NotificationEvent.ApplyFailed("production", PR, PROD, "bob",
                List.of("carol", "dave"),
                "Error: creating ElastiCache Cluster (prod-redis): CacheClusterAlreadyExists\n"
                        + "  with module.redis.aws_elasticache_cluster.this");
    }

    static NotificationEvent.ApplyResultMissing applyResultMissing() {
        return new NotificationEvent.ApplyResultMissing("production", PR, PROD, "bob",
                java.time.Instant.parse("2026-11-23T01:00:00Z"), Duration.ofMinutes(30));
    }

    /** Seed 004's notifications section, as the policy parser would fill it. */
    static NotificationRules seedRules() {
        return new NotificationRules(Map.of(
                Event.PLAN_COMPLETED, new Rule(List.of("#infra-review"), Map.of(), false, Set.of()),
                Event.APPLY_REQUESTED, new Rule(List.of("#infra-approvals"),
                        Map.of("staging", List.of("@devops-team"),
                                "production", List.of("@devops-lead", "@cto")),
                        false, Set.of()),
                Event.APPLY_COMPLETED, new Rule(List.of("#general", "#infra-review"), Map.of(),
                        false, Set.of()),
                Event.APPLY_FAILED, new Rule(List.of("#incident-response"),
                        Map.of("*", List.of("@devops-oncall")), true, Set.of()),
                Event.OVERRIDE_USED, new Rule(List.of("#infra-approvals"), Map.of(), true,
                        Set.of("production"))));
    }
}
