package io.tidegate.review;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;

import io.tidegate.decision.DecisionEngine;
import io.tidegate.store.CostReportStore;

/**
 * Re-evaluates the pull requests of one environment after an environment-wide change (a freeze
 * started or lifted, a lock released by hand): every PR with a project in the environment
 * planned within {@link #LOOKBACK} gets a review request, so its sticky comment and
 * {@code tidegate/<environment>} status follow at once. This is the one place that asks; a
 * general "re-review the PRs of environment E" entry point can replace {@link #requestAll}.
 *
 * <p>PRs planned longer ago are refreshed on their next event. A PR closed since is evaluated
 * once more (its comment may then mention the freeze); nothing else happens to it.
 */
public final class EnvironmentReviews {
    /** How far back a PR's last plan may be for it to count as one of the environment's. */
    static final Duration LOOKBACK = Duration.ofDays(30);

    private final CostReportStore reports;
    private final PolicySource policies;
    private final ReviewRequests reviews;

    public EnvironmentReviews(CostReportStore reports, PolicySource policies,
            ReviewRequests reviews) {
        this.reports = Objects.requireNonNull(reports, "reports == null");
        this.policies = Objects.requireNonNull(policies, "policies == null");
        this.reviews = Objects.requireNonNull(reviews, "reviews == null");
    }

    /** Asks for a review of each PR of {@code environment}; returns how many were asked. */
    public int requestAll(String environment, String why, Instant now) {
        Set<String> asked = new LinkedHashSet<>();
        for (CostReportStore.Reported r : reports.reportedSince(now.minus(LOOKBACK))) {
            boolean inEnvironment = DecisionEngine.environmentFor(
                    policies.current().forRepo(r.repo()), r.project())
                    .map(e -> e.name().equals(environment)).orElse(false);
            if (inEnvironment && asked.add(r.repo() + "#" + r.pr())) {
                reviews.request(r.repo(), r.pr(), why);
            }
        }
        return asked.size();
    }
}
