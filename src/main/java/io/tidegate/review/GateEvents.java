package io.tidegate.review;

import java.math.BigDecimal;
import java.net.URI;
import java.util.List;
import java.util.Optional;

import io.tidegate.decision.Assessment;
import io.tidegate.decision.Command;
import io.tidegate.decision.CostChange;
import io.tidegate.decision.Decision;
import io.tidegate.decision.Facts;
import io.tidegate.decision.PlanChange;
import io.tidegate.decision.ProjectRef;
import io.tidegate.decision.ProjectReport;
import io.tidegate.decision.PullRequest;
import io.tidegate.decision.Reason;
import io.tidegate.decision.ReasonCode;
import io.tidegate.notify.NotificationEvent;
import io.tidegate.notify.PullRequestLink;
import io.tidegate.policy.CostRule;
import io.tidegate.policy.PolicySet;

/**
 * Which notification, if any, a gate decision on an apply is worth: a deny waiting only on
 * approvals asks the approvers ({@code apply_requested}); a deny by a freeze says so
 * ({@code freeze_blocked}); an allow above the budget's warning share warns
 * ({@code budget_warning}). Pure.
 */
final class GateEvents {
    private GateEvents() {}

    static Optional<NotificationEvent> of(PolicySet policy, Facts facts, Decision d,
            PullRequestLink link) {
        Optional<String> env = d.assessment().environment();
        if (facts.command() != Command.APPLY || env.isEmpty()) {
            return Optional.empty();
        }
        if (d.isAllowed()) {
            return budgetWarning(policy, env.get(), facts, d, link);
        }
        List<Reason> blocking = d.reasons().stream().filter(Reason::isBlocking).toList();
        if (blocking.stream().allMatch(r -> r.code() == ReasonCode.APPROVALS_MISSING)) {
            Reason r = blocking.get(0);
            return Optional.of(new NotificationEvent.ApplyRequested(env.get(), link,
                    facts.project(), facts.actor(), cost(facts), plan(facts),
                    d.assessment().approvals().approvers(), r.remedy().orElse(r.message())));
        }
        return blocking.stream().filter(r -> r.code() == ReasonCode.FREEZE).findFirst()
                .map(r -> new NotificationEvent.FreezeBlocked(env.get(), link, facts.project(),
                        facts.actor(), r.message() + r.remedy().map(x -> "; " + x).orElse("")));
    }

    private static Optional<NotificationEvent> budgetWarning(PolicySet policy, String env,
            Facts facts, Decision d, PullRequestLink link) {
        boolean warned = d.reasons().stream().anyMatch(r -> r.code() == ReasonCode.BUDGET_WARNING);
        Optional<Assessment.CostStatus> cost = d.assessment().cost();
        Optional<CostRule.Budget> budget = policy.environment(env)
                .flatMap(e -> e.cost()).flatMap(CostRule::budget);
        if (!warned || cost.isEmpty() || cost.get().monthlyTotal().isEmpty()
                || budget.isEmpty()) {
            return Optional.empty();
        }
        BigDecimal total = cost.get().monthlyTotal().get();
        return Optional.of(new NotificationEvent.BudgetWarning(env, link, facts.project(),
                cost(facts), total, budget.get().monthly(),
                budget.get().warnAtPercent().intValue()));
    }

    /**
     * The PR as messages show it; GitHub's URL when Atlantis did not send one. {@code title} is
     * GitHub's ("" when only Atlantis described the PR); {@link PullRequestLink} keeps it to
     * one bounded line.
     */
    static PullRequestLink link(String repo, int number, String title, String author,
            String url) {
        String page = url.isBlank() ? "https://github.com/" + repo + "/pull/" + number : url;
        return new PullRequestLink(repo, number, title, URI.create(page), author);
    }

    /** The PR of these facts as messages show it, with its title. */
    static PullRequestLink link(PullRequest pr, String url) {
        return link(pr.repo(), pr.number(), pr.title(), pr.author(), url);
    }

    static CostChange cost(Facts facts) {
        return report(facts.reports(), facts.project()).flatMap(ProjectReport::cost)
                .orElse(CostChange.UNKNOWN);
    }

    static PlanChange plan(Facts facts) {
        return report(facts.reports(), facts.project()).flatMap(ProjectReport::plan)
                .orElse(PlanChange.EMPTY);
    }

    private static Optional<ProjectReport> report(List<ProjectReport> reports, ProjectRef p) {
        return reports.stream().filter(r -> r.project().equals(p)).findFirst();
    }
}
