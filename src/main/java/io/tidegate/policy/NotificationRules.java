package io.tidegate.policy;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The policy's {@code notifications:} section: for each event, the Slack channels to post to,
 * who to mention per environment ({@code "*"} = every environment), whether to send e-mail, and
 * optionally which environments the event is sent for (empty = all).
 *
 * <pre>
 * notifications:
 *   apply_requested:
 *     slack: ["#infra-approvals"]
 *     mention: { staging: ["@devops-team"], production: ["@devops-lead", "@cto"] }
 *   apply_failed: { slack: ["#incident-response"], mention: { "*": ["@devops-oncall"] }, email: true }
 * </pre>
 */
public record NotificationRules(Map<Event, Rule> rules) {
    public static final NotificationRules NONE = new NotificationRules(Map.of());

    public NotificationRules {
        rules = Map.copyOf(Objects.requireNonNull(rules, "rules == null"));
    }

    /** The events Tidegate notifies about; {@link #key()} is the policy spelling. */
    public enum Event {
        PLAN_COMPLETED, APPLY_REQUESTED, APPLY_COMPLETED, APPLY_FAILED,
        OVERRIDE_USED, BUDGET_WARNING, FREEZE_BLOCKED,
        /** Someone froze an environment on demand ({@code tidegate freeze}, the API). */
        FREEZE_STARTED,
        /** An on-demand freeze was lifted ({@code tidegate unfreeze}, the API). */
        FREEZE_ENDED,
        /** Someone released an environment's apply lock before its TTL. */
        LOCK_RELEASED;

        public String key() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** Where one event goes. */
    public record Rule(
            List<String> slack,
            Map<String, List<String>> mention,
            boolean email,
            Set<String> environments) {
        public Rule {
            slack = List.copyOf(Objects.requireNonNull(slack, "slack == null"));
            mention = Map.copyOf(Objects.requireNonNull(mention, "mention == null"));
            environments = Set.copyOf(Objects.requireNonNull(environments, "environments == null"));
        }

        /** Whether the event is sent for this environment. */
        public boolean appliesTo(String environment) {
            return environments.isEmpty() || environments.contains(environment);
        }

        /** Mentions for the environment: its own list plus the {@code "*"} list. */
        public List<String> mentionsFor(String environment) {
            List<String> out = new java.util.ArrayList<>(mention.getOrDefault("*", List.of()));
            out.addAll(mention.getOrDefault(environment, List.of()));
            return List.copyOf(out);
        }
    }
}
