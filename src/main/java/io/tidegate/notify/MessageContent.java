package io.tidegate.notify;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

import io.tidegate.decision.CostChange;
import io.tidegate.decision.PlanChange;
import io.tidegate.decision.ProjectRef;
import io.tidegate.notify.NotificationEvent.ApplyCompleted;
import io.tidegate.notify.NotificationEvent.ApplyFailed;
import io.tidegate.notify.NotificationEvent.ApplyResultMissing;
import io.tidegate.notify.NotificationEvent.ApplyRequested;
import io.tidegate.notify.NotificationEvent.BudgetWarning;
import io.tidegate.notify.NotificationEvent.FreezeBlocked;
import io.tidegate.notify.NotificationEvent.FreezeEnded;
import io.tidegate.notify.NotificationEvent.FreezeStarted;
import io.tidegate.notify.NotificationEvent.LockReleased;
import io.tidegate.notify.NotificationEvent.OverrideUsed;
import io.tidegate.notify.NotificationEvent.PlanCompleted;

/**
 * What a message about an event says, before any channel's formatting: a title, labelled facts,
 * an optional longer text (what failed, why) and a next step. Slack and e-mail render the same
 * content, so both say the same thing. Values are plain text; each format escapes its own way.
 */
record MessageContent(
        String emoji,
        String title,
        List<Field> fields,
        Optional<Field> detail,
        String nextStep) {

    record Field(String label, String value) {}

    MessageContent {
        fields = List.copyOf(fields);
        Objects.requireNonNull(detail, "detail == null");
    }

    static MessageContent of(NotificationEvent event) {
        if (event instanceof PlanCompleted e) {
            return planCompleted(e);
        }
        if (event instanceof ApplyRequested e) {
            return applyRequested(e);
        }
        if (event instanceof ApplyCompleted e) {
            return applyCompleted(e);
        }
        if (event instanceof ApplyFailed e) {
            return applyFailed(e);
        }
        if (event instanceof ApplyResultMissing e) {
            return applyResultMissing(e);
        }
        if (event instanceof OverrideUsed e) {
            return overrideUsed(e);
        }
        if (event instanceof BudgetWarning e) {
            return budgetWarning(e);
        }
        if (event instanceof FreezeBlocked e) {
            return freezeBlocked(e);
        }
        if (event instanceof FreezeStarted e) {
            return freezeStarted(e);
        }
        if (event instanceof FreezeEnded e) {
            return freezeEnded(e);
        }
        if (event instanceof LockReleased e) {
            return lockReleased(e);
        }
        throw new AssertionError(event);
    }

    private static MessageContent planCompleted(PlanCompleted e) {
        List<Field> fields = common(e);
        fields.add(new Field("Cost change", cost(e.cost())));
        fields.add(new Field("Resources", resources(e.resources())));
        return new MessageContent("📊", "Plan completed", fields, Optional.empty(),
                "Next: team review and approval.");
    }

    private static MessageContent applyRequested(ApplyRequested e) {
        List<Field> fields = common(e);
        fields.add(new Field("Requested by", e.actor()));
        fields.add(new Field("Cost change", cost(e.cost())));
        fields.add(new Field("Resources", resources(e.resources())));
        fields.add(new Field("Approved by", people(e.approvers())));
        if (!e.waitingFor().isBlank()) {
            fields.add(new Field("Still needed", e.waitingFor()));
        }
        return new MessageContent("🚨", "Apply waiting for approval", fields, Optional.empty(),
                "Approve the pull request on GitHub, then comment `"
                        + applyCommand(e.project()) + "`.");
    }

    private static MessageContent applyCompleted(ApplyCompleted e) {
        List<Field> fields = common(e);
        fields.add(new Field("Applied by", e.actor()));
        fields.add(new Field("Approved by", people(e.approvers())));
        fields.add(new Field("Cost change", cost(e.cost())));
        fields.add(new Field("Resources", resources(e.resources())));
        e.duration().ifPresent(d -> fields.add(new Field("Duration", duration(d))));
        return new MessageContent("✅", "Apply completed", fields, Optional.empty(),
                "Check the service's dashboards and alarms.");
    }

    private static MessageContent applyFailed(ApplyFailed e) {
        List<Field> fields = common(e);
        fields.add(new Field("Applied by", e.actor()));
        fields.add(new Field("Approved by", people(e.approvers())));
        return new MessageContent("❌", "Apply failed", fields,
                Optional.of(new Field("What failed", e.error())),
                "Respond now: roll back or fix forward.");
    }

    private static MessageContent applyResultMissing(ApplyResultMissing e) {
        List<Field> fields = common(e);
        fields.add(new Field("Applied by", e.actor()));
        fields.add(new Field("Started", e.startedAt().toString()));
        fields.add(new Field("Waited", duration(e.waited())));
        return new MessageContent("❓", "Apply result never arrived", fields,
                Optional.of(new Field("What happened", "Atlantis did not report how this apply "
                        + "ended within " + duration(e.waited()) + ", the environment's lock "
                        + "time. The lock has lapsed, so another apply may start. The apply "
                        + "may have succeeded, failed or still be running; the deployment is "
                        + "recorded as unknown until its result arrives.")),
                "Check the apply comment on the pull request and Atlantis's logs and "
                        + "webhook settings; treat the environment as possibly half-applied.");
    }

    private static MessageContent overrideUsed(OverrideUsed e) {
        List<Field> fields = common(e);
        fields.add(new Field("Overridden by", e.actor()));
        fields.add(new Field("Rule set aside", e.overridden()));
        return new MessageContent("⚠️", "Policy override used", fields,
                Optional.of(new Field("Reason", e.reason())),
                "Review the override in the audit log.");
    }

    private static MessageContent budgetWarning(BudgetWarning e) {
        List<Field> fields = common(e);
        fields.add(new Field("Cost change", cost(e.cost())));
        fields.add(new Field("Monthly total", money(e.projectedMonthly()) + " of "
                + money(e.budget()) + " budget (" + percent(e.projectedMonthly(), e.budget())
                + ")"));
        fields.add(new Field("Alert at", e.alertPercent() + "%"));
        return new MessageContent("💸", "Budget warning", fields, Optional.empty(),
                "Check whether the increase is expected before applying.");
    }

    private static MessageContent freezeBlocked(FreezeBlocked e) {
        List<Field> fields = common(e);
        fields.add(new Field("Requested by", e.actor()));
        return new MessageContent("🧊", "Apply blocked by deployment window", fields,
                Optional.of(new Field("Why", e.why())),
                "Apply when the window opens, or ask for an emergency override.");
    }

    private static MessageContent freezeStarted(FreezeStarted e) {
        List<Field> fields = new ArrayList<>();
        fields.add(new Field("Environment", e.environment()));
        fields.add(new Field("Frozen by", e.actor()));
        fields.add(new Field("Until", e.until().map(Object::toString)
                .orElse("until someone unfreezes it")));
        fields.add(new Field("Override", e.overridable() ? "a window override lifts it"
                : "no override lifts it"));
        return new MessageContent("🧊", "Environment frozen", fields,
                Optional.of(new Field("Reason", e.reason())),
                "No apply runs there until the freeze ends: `tidegate unfreeze "
                        + e.environment() + "` lifts it early.");
    }

    private static MessageContent freezeEnded(FreezeEnded e) {
        List<Field> fields = new ArrayList<>();
        fields.add(new Field("Environment", e.environment()));
        fields.add(new Field("Unfrozen by", e.actor()));
        fields.add(new Field("Frozen by", e.frozenBy()));
        return new MessageContent("🌊", "Freeze lifted", fields,
                Optional.of(new Field("It was frozen for", e.frozenFor())),
                "Applies there follow the policy again.");
    }

    private static MessageContent lockReleased(LockReleased e) {
        List<Field> fields = new ArrayList<>();
        fields.add(new Field("Environment", e.environment()));
        fields.add(new Field("Released by", e.actor()));
        fields.add(new Field("Held by", e.holder()));
        return new MessageContent("🔓", "Apply lock released by hand", fields,
                Optional.of(new Field("Reason", e.reason())),
                "Make sure " + e.holder() + "'s apply is not still running before the next one.");
    }

    private static List<Field> common(NotificationEvent.OnPullRequest e) {
        List<Field> fields = new ArrayList<>();
        fields.add(new Field("Environment", e.environment()));
        fields.add(new Field("Project", e.project().label()));
        fields.add(new Field("Author", e.pullRequest().author()));
        return fields;
    }

    /** The comment that applies just this project, as Atlantis's grammar spells it. */
    static String applyCommand(ProjectRef project) {
        return project.name().isEmpty()
                ? "atlantis apply -d " + project.dir() + " -w " + project.workspace()
                : "atlantis apply -p " + project.name();
    }

    /** "+$40.56/month (total $81.12/month)"; unknown figures say so, never $0. */
    static String cost(CostChange cost) {
        String increase = cost.monthlyIncrease()
                .map(d -> signedMoney(d) + "/month")
                .orElse("unknown");
        return cost.monthlyTotal()
                .map(t -> increase + " (total " + money(t) + "/month)")
                .orElse(increase);
    }

    /** "+5 ~1 −2": created, updated, deleted (a replacement counts as both). */
    static String resources(PlanChange plan) {
        return "+" + plan.created() + " ~" + plan.updated() + " \u2212" + plan.deleted();
    }

    static String people(List<String> logins) {
        return logins.isEmpty() ? "none yet" : String.join(", ", logins);
    }

    static String money(BigDecimal amount) {
        DecimalFormat f = new DecimalFormat("#,##0.00",
                DecimalFormatSymbols.getInstance(Locale.US));
        f.setRoundingMode(RoundingMode.HALF_UP);
        String digits = f.format(amount.abs());
        return amount.signum() < 0 ? "\u2212$" + digits : "$" + digits;
    }

    static String signedMoney(BigDecimal amount) {
        return amount.signum() > 0 ? "+" + money(amount) : money(amount);
    }

    static String percent(BigDecimal part, BigDecimal whole) {
        return part.multiply(BigDecimal.valueOf(100))
                .divide(whole, 0, RoundingMode.HALF_UP) + "%";
    }

    /** "4m 05s", "1h 02m", "12s". */
    static String duration(Duration d) {
        // Rounded to the nearest second as the store, the API and the apply reply round it.
        long s = (d.toMillis() + 500) / 1000;
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return String.format(Locale.ROOT, "%dm %02ds", s / 60, s % 60);
        }
        return String.format(Locale.ROOT, "%dh %02dm", s / 3600, (s % 3600) / 60);
    }
}
