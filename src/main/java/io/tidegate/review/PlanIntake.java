package io.tidegate.review;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

import io.tidegate.atlantis.PlanReports;
import io.tidegate.atlantis.PlanUpload;
import io.tidegate.atlantis.RunContext;
import io.tidegate.decision.CostChange;
import io.tidegate.decision.DecisionEngine;
import io.tidegate.infracost.InfracostReport;
import io.tidegate.notify.NotificationEvent;
import io.tidegate.policy.Environment;
import io.tidegate.store.CostReport;
import io.tidegate.store.CostReportStore;
import io.tidegate.text.Untrusted;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes {@code tidegate-hook report}'s upload: stores the project's cost and resource counts for
 * the head commit (replacing an earlier report of the same key; no Infracost output stays
 * unknown, never zero), asks for the PR to be evaluated again (sticky comment, statuses) and
 * queues {@code plan_completed}. Answers one line for the plan comment.
 */
public final class PlanIntake implements PlanReports {
    private static final Logger log = LoggerFactory.getLogger(PlanIntake.class);
    private final ReviewParts parts;
    private final CostReportStore reports;

    public PlanIntake(ReviewParts parts, CostReportStore reports) {
        this.parts = Objects.requireNonNull(parts, "parts == null");
        this.reports = Objects.requireNonNull(reports, "reports == null");
    }

    @Override
    public String record(PlanUpload upload) {
        RunContext c = upload.context();
        String repo = c.baseRepo().fullName();
        Instant now = parts.clock().instant();
        String policyCurrency = parts.policies().current().currency();
        // Rule: figures in another currency are not compared with the policy's: cost unknown,
        // and the currency is kept so the decision's cost-unknown reason can name it.
        CostChange cost = upload.cost().map(r -> r.currency().equalsIgnoreCase(policyCurrency)
                ? r.costChange() : CostChange.otherCurrency(shown(r.currency())))
                .orElse(CostChange.UNKNOWN);
        reports.put(new CostReport(repo, c.pull().number(), c.pull().headCommit(), c.project(),
                cost, upload.plan(), now));
        parts.reviews().request(repo, c.pull().number(), "plan reported");
        publish(upload, cost);
        return summary(upload, cost, policyCurrency);
    }

    private void publish(PlanUpload upload, CostChange cost) {
        RunContext c = upload.context();
        Optional<String> env = DecisionEngine.environmentFor(parts.policies().current()
                .forRepo(c.baseRepo().fullName()), c.project()).map(Environment::name);
        if (env.isEmpty()) {
            return; // no environment: nobody is routed a message for it
        }
        try {
            parts.publisher().publish(new NotificationEvent.PlanCompleted(env.get(),
                    // Atlantis does not send the title, and a plan report reads no GitHub
                    GateEvents.link(c.baseRepo().fullName(), c.pull().number(), "",
                            c.pull().author(), c.pull().url()), c.project(), cost,
                    upload.plan()));
        } catch (RuntimeException e) {
            // The report is stored and counts; only the message is lost.
            log.warn("plan_completed for {}#{} not queued: {}", c.baseRepo().fullName(),
                    c.pull().number(), e.toString());
        }
    }

    /** Infracost's currency as text Tidegate may show: letters only (it comes from the PR's run). */
    private static String shown(String currency) {
        String letters = currency.replaceAll("[^A-Za-z]", "?");
        return letters.length() > 8 ? letters.substring(0, 8) + "…" : letters;
    }

    /** {@code prod-environment: plan reported (+2 ~1 -0 resources, +$40.56/month)}. */
    static String summary(PlanUpload upload, CostChange cost, String policyCurrency) {
        var plan = upload.plan();
        String unknown = upload.cost().filter(r -> !r.currency().equalsIgnoreCase(policyCurrency))
                .map(r -> "cost unknown: Infracost reported " + shown(r.currency())
                        + ", the policy's limits are in " + policyCurrency)
                .orElse("cost unknown");
        String money = cost.monthlyIncrease().map(PlanIntake::signedDollars)
                .orElse(unknown);
        // printed by the hook into Atlantis's comment: the project's name is the PR's text
        return Untrusted.plain(upload.context().project().label()) + ": plan reported (+" + plan.created()
                + " ~" + plan.updated() + " -" + plan.deleted() + " resources, " + money + ")";
    }

    private static String signedDollars(BigDecimal amount) {
        BigDecimal rounded = amount.setScale(2, java.math.RoundingMode.HALF_UP);
        return (rounded.signum() < 0 ? "-$" + rounded.negate() : "+$" + rounded) + "/month";
    }
}
