package io.tidegate.review;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import io.tidegate.decision.Assessment;
import io.tidegate.decision.CostChange;
import io.tidegate.decision.PlanChange;
import io.tidegate.decision.ProjectReport;
import io.tidegate.decision.Reason;
import io.tidegate.github.CommentLimit;
import io.tidegate.policy.Windows;
import io.tidegate.text.Untrusted;

/**
 * Renders Tidegate's one comment on a pull request: a table to scan, then one section per
 * environment (verdict, approvals, window, cost, resources, override, lock, what is missing and
 * how to fix it), then the per-project figures folded away. Every section after the table starts
 * with {@link CommentLimit#SECTION_BREAK}, so an oversized comment loses whole sections. No
 * timestamp of the rendering itself: the same state renders the same text, so an unchanged PR
 * never edits its comment. Every piece of text a PR author, reviewer or policy chose (project
 * names, dirs, workspaces, logins, reasons, override reasons, resource types) goes through
 * {@link Untrusted#markdown}, shown in {@code <code>} where it is a name. Pure.
 */
public final class StickyComment {
    public static final String MARKER = "<!-- tidegate:summary -->";

    private StickyComment() {}

    public static String render(ReviewSummary s) {
        if (s.isWaitingForPlan()) {
            return waiting(s);
        }
        StringBuilder out = new StringBuilder();
        out.append(MARKER).append('\n');
        out.append("### Tidegate · `").append(s.shortSha()).append("`\n\n");
        out.append(table(s.environments())).append('\n');
        for (EnvironmentReview e : s.environments()) {
            out.append(CommentLimit.SECTION_BREAK).append('\n').append(section(e)).append('\n');
        }
        out.append(CommentLimit.SECTION_BREAK).append('\n').append(perProject(s.reports()))
                .append('\n');
        out.append(footer());
        return out.toString();
    }

    static String waiting(ReviewSummary s) {
        return MARKER + "\n### Tidegate · `" + s.shortSha() + "`\n\n"
                + "⏳ Waiting for the Atlantis plan of `" + s.shortSha() + "`. Once Atlantis has"
                + " planned this commit, this comment shows per environment what an apply needs."
                + " Until then nothing here can be applied.\n\n" + footer();
    }

    private static String footer() {
        return "<sub>Updated on every push, review and plan · comment `tidegate explain` for"
                + " every reason, `tidegate help` for the commands.</sub>\n";
    }

    private static String table(List<EnvironmentReview> envs) {
        StringBuilder t = new StringBuilder(
                "| Environment | Apply | Approvals | Window | Cost change / month |\n"
                        + "|:--|:--|:--|:--|:--|\n");
        for (EnvironmentReview e : envs) {
            Assessment a = e.assessment();
            t.append("| **").append(md(e.name())).append("** | ").append(verdict(e))
                    .append(" | ").append(approvalsShort(e)).append(" | ")
                    .append(md(windowShort(a))).append(" | ").append(costShort(a))
                    .append(" |\n");
        }
        return t.toString();
    }

    static String verdict(EnvironmentReview e) {
        return switch (e.verdict()) {
            case READY -> "✅ ready";
            case WAITING -> "⏳ blocked";
            case BLOCKED -> "⛔ blocked";
        };
    }

    private static String approvalsShort(EnvironmentReview e) {
        Assessment.ApprovalStatus a = e.assessment().approvals();
        return e.environment().isEmpty() ? "—" : a.counted() + " of " + a.needed();
    }

    private static String windowShort(Assessment a) {
        if (a.environment().isEmpty()) {
            return "—";
        }
        if (a.freeze().isPresent() && !a.freeze().get().lifted()) {
            return "frozen by " + a.freeze().get().by() + " · "
                    + a.freeze().get().untilLocal().map(u -> "until " + u).orElse("until lifted");
        }
        if (a.window().isEmpty()) {
            return "always open";
        }
        Assessment.WindowStatus w = a.window().get();
        if (w.overridden()) {
            return "lifted by override";
        }
        return switch (w.state()) {
            case OPEN -> "open";
            case CLOSED -> "closed · opens " + w.nextOpeningLocal().orElse("not within 400 days");
            case FROZEN -> "frozen · opens " + w.nextOpeningLocal().orElse("not within 400 days");
        };
    }

    private static String costShort(Assessment a) {
        if (a.cost().isEmpty()) {
            return "—";
        }
        Assessment.CostStatus c = a.cost().get();
        String change = c.monthlyIncrease().map(StickyComment::signed).orElse("unknown");
        return c.limit().map(l -> change + " of " + money(l) + " limit").orElse(change);
    }

    private static String section(EnvironmentReview e) {
        Assessment a = e.assessment();
        StringBuilder s = new StringBuilder();
        s.append("#### ").append(md(e.name())).append(" · ").append(verdict(e)).append("\n\n");
        s.append("Projects: ").append(e.projects().stream()
                .map(p -> code(p.label())).collect(Collectors.joining(", ")));
        if (e.environment().isPresent()) {
            s.append(" · applied by ").append(e.appliers().isEmpty() ? "anyone"
                    : orList(e.appliers()));
        }
        s.append("\n\n");
        if (e.environment().isPresent()) {
            s.append("- **Approvals:** ").append(approvals(a.approvals())).append('\n');
            s.append("- **Window:** ").append(window(a)).append('\n');
            a.freeze().ifPresent(f -> s.append("- **Freeze:** ").append(freeze(f)).append('\n'));
            s.append("- **Cost:** ").append(cost(a)).append('\n');
            s.append("- **Created resources:** ").append(resources(a)).append('\n');
            s.append("- **Override:** ").append(override(a)).append('\n');
            s.append("- **Lock:** ").append(a.lockHolder().map(h -> "held by " + h)
                    .orElse("free")).append('\n');
            ZoneId zone = a.window().map(w -> ZoneId.of(w.timezone())).orElse(ZoneId.of("UTC"));
            a.promotion().ifPresent(p -> s.append("- **Promotion:** ").append(promotion(p, zone))
                    .append('\n'));
            s.append(planRules(a.planRules()));
        }
        List<Reason> blocking = e.blocking();
        if (!blocking.isEmpty()) {
            s.append("\n**What is missing**\n\n");
            blocking.forEach(r -> s.append(reason(r)));
        }
        List<Reason> wouldDeny = e.notes().stream().filter(Reason::isWouldDeny).toList();
        if (!wouldDeny.isEmpty()) {
            s.append("\n**Would deny** (rules with `enforce: false`: reported, not enforced)"
                    + "\n\n");
            wouldDeny.forEach(r -> s.append(reason(r)));
        }
        List<Reason> notes = e.notes().stream().filter(r -> !r.isWouldDeny()).toList();
        if (!notes.isEmpty()) {
            s.append("\n**Notes**\n\n");
            notes.forEach(r -> s.append(reason(r)));
        }
        return s.toString();
    }

    /**
     * Each plan rule with the resources it matched: "`protect-data` (deny): replace
     * `module.db.aws_db_instance.main`". Addresses come from the PR's own Terraform code: shown
     * as inert code ({@link #code}), never as Markdown.
     */
    static String planRules(List<Assessment.PlanRuleStatus> rules) {
        if (rules.isEmpty()) {
            return "";
        }
        StringBuilder s = new StringBuilder("- **Plan rules:**\n");
        for (Assessment.PlanRuleStatus r : rules) {
            s.append("  - ").append(code(r.name())).append(" (").append(r.effect())
                    .append(r.enforced() ? "" : ", not enforced").append("): ");
            if (r.matched().isEmpty()) {
                s.append(r.met() ? "matches nothing" : "plan not known");
            } else {
                s.append(r.matched().stream().map(StickyComment::change)
                        .collect(Collectors.joining(", ")));
                s.append(r.met() ? " — met" : r.enforced() ? " ⚠️" : " — would deny");
            }
            s.append('\n');
        }
        return s.toString();
    }

    /** "replace `address`" from "replace address". */
    private static String change(String verbAndAddress) {
        int space = verbAndAddress.indexOf(' ');
        return verbAndAddress.substring(0, space) + " " + code(verbAndAddress
                .substring(space + 1));
    }

    private static String promotion(Assessment.PromotionStatus p, ZoneId zone) {
        String rule = "after " + p.after() + " (same " + p.same() + ")"
                + (p.enforced() ? "" : ", not enforced");
        if (p.lifted()) {
            return rule + " — lifted by an override";
        }
        if (p.since().isEmpty()) {
            return rule + " — no successful " + p.after() + " apply recorded";
        }
        return rule + " — " + p.after() + " succeeded " + Windows.format(p.since().get(), zone)
                + "; ready " + Windows.format(p.readyAt().get(), zone);
    }

    /** One reason as a list item, with its remedy under it. */
    static String reason(Reason r) {
        return "- " + md(r.message(), REASON_MAX) + " (`" + r.key() + "`)\n"
                + r.remedy().map(x -> "  - *To fix:* " + md(x, REASON_MAX) + "\n").orElse("");
    }

    private static String approvals(Assessment.ApprovalStatus a) {
        StringBuilder s = new StringBuilder();
        s.append(a.counted()).append(" of ").append(a.needed());
        if (!a.from().isEmpty()) {
            s.append(" from ").append(orList(a.from()));
        }
        for (Set<String> group : a.mustInclude()) {
            s.append(", at least one from ").append(orList(group));
        }
        s.append(" — ").append(a.approvers().isEmpty() ? "none yet"
                : "approved by " + mdList(a.approvers(), ", "));
        if (!a.changesRequestedBy().isEmpty()) {
            s.append("; changes requested by ").append(mdList(a.changesRequestedBy(), ", "));
        }
        if (!a.ignored().isEmpty()) {
            s.append("; not counted: ").append(mdList(a.ignored(), "; "));
        }
        return s.toString();
    }

    private static String window(Assessment a) {
        if (a.window().isEmpty()) {
            return "none, apply any time";
        }
        Assessment.WindowStatus w = a.window().get();
        String next = w.nextOpeningLocal().map(n -> "next opening " + n)
                .orElse("does not open within 400 days");
        String state = switch (w.state()) {
            case OPEN -> "open now";
            case CLOSED -> "closed; " + next;
            case FROZEN -> "frozen (" + md(w.freezeReason().orElse("closed date")) + "); "
                    + next;
        };
        return code(w.name()) + " (" + w.timezone() + ") is " + state
                + (w.overridden() ? " — lifted by an override" : "");
    }

    /** An on-demand freeze: who, until when, why (the reason as a code span: hostile text). */
    private static String freeze(Assessment.FreezeStatus f) {
        return "frozen by " + f.by() + " " + f.untilLocal().map(u -> "until " + u)
                .orElse("until someone unfreezes it") + " — "
                + EnvironmentCommands.code(f.reason())
                + (f.lifted() ? " — lifted by an override" : f.overridable()
                        ? " (a window override lifts it)" : "");
    }

    private static String cost(Assessment a) {
        if (a.cost().isEmpty()) {
            return "not assessed";
        }
        Assessment.CostStatus c = a.cost().get();
        String change = c.monthlyIncrease().map(StickyComment::signed).orElse("unknown")
                + " per month" + c.limit().map(l -> " (limit " + money(l) + ")")
                .orElse(" (no limit)");
        String total = c.monthlyTotal().map(StickyComment::money).orElse("unknown");
        String budget = c.budget().map(b -> "; environment total " + total + " of "
                + money(b) + " budget").orElse("; environment total " + total);
        return change + budget;
    }

    private static String resources(Assessment a) {
        if (a.resources().isEmpty()) {
            return "no limits";
        }
        return a.resources().stream()
                .map(r -> code(r.key()) + " " + r.created() + " of " + r.max()
                        + (r.isExceeded() ? " ⚠️" : ""))
                .collect(Collectors.joining(" · "));
    }

    private static String override(Assessment a) {
        if (a.override().isEmpty()) {
            return "none";
        }
        Assessment.ActiveOverride o = a.override().get();
        ZoneId zone = a.window().map(w -> ZoneId.of(w.timezone())).orElse(ZoneId.of("UTC"));
        return "by " + md(o.user()) + " until " + Windows.format(o.expires(), zone) + " — "
                + md(o.reason(), REASON_MAX);
    }

    private static String perProject(List<ProjectReport> reports) {
        StringBuilder s = new StringBuilder();
        s.append("<details><summary>Cost and plan per project (").append(reports.size())
                .append(")</summary>\n\n");
        s.append("| Project | Dir | Workspace | Monthly change | Monthly total | Create | Update"
                + " | Delete |\n|:--|:--|:--|--:|--:|--:|--:|--:|\n");
        for (ProjectReport r : reports) {
            CostChange c = r.cost().orElse(CostChange.UNKNOWN);
            Optional<PlanChange> p = r.plan();
            s.append("| ").append(r.project().name().isEmpty() ? "(unnamed)"
                    : md(r.project().name())).append(" | ").append(code(r.project().dir()))
                    .append(" | ").append(md(r.project().workspace())).append(" | ")
                    .append(c.monthlyIncrease().map(StickyComment::signed).orElse("unknown"))
                    .append(" | ").append(c.monthlyTotal().map(StickyComment::money)
                            .orElse("unknown"))
                    .append(" | ").append(p.map(x -> Integer.toString(x.created())).orElse("?"))
                    .append(" | ").append(p.map(x -> Integer.toString(x.updated())).orElse("?"))
                    .append(" | ").append(p.map(x -> Integer.toString(x.deleted())).orElse("?"))
                    .append(" |\n");
        }
        s.append(createdByType(reports));
        s.append("\n</details>\n");
        return s.toString();
    }

    /** Per project, the created resource types: what the resource limits count. */
    private static String createdByType(List<ProjectReport> reports) {
        StringBuilder s = new StringBuilder();
        for (ProjectReport r : reports) {
            r.plan().filter(p -> !p.createdByType().isEmpty()).ifPresent(p -> {
                s.append("\n**").append(md(r.project().label())).append("** creates ")
                        .append(p.createdByType().entrySet().stream()
                                .map(e -> e.getValue() + " × " + code(e.getKey()))
                                .collect(Collectors.joining(", ")))
                        .append('\n');
            });
        }
        return s.toString();
    }

    static String orList(Set<String> roles) {
        List<String> l = roles.stream().map(StickyComment::md).toList();
        if (l.size() <= 1) {
            return String.join("", l);
        }
        return String.join(", ", l.subList(0, l.size() - 1)) + " or " + l.get(l.size() - 1);
    }

    /** Reasons quote several names and lists; they get more room than one name. */
    private static final int REASON_MAX = 1000;

    /** Untrusted text, inert in Markdown (also in a table cell: a pipe comes out escaped). */
    static String md(String text) {
        return Untrusted.markdown(text);
    }

    static String md(String text, int maxChars) {
        return Untrusted.markdown(text, maxChars);
    }

    /**
     * A name shown as code. Not a code span: inside backticks a backslash shows literally, so
     * escaped text could not be shown there; inline {@code <code>} keeps the escapes working and
     * GitHub looks for no mention inside it.
     */
    static String code(String text) {
        return "<code>" + md(text) + "</code>";
    }

    private static String mdList(java.util.Collection<String> items, String separator) {
        return items.stream().map(StickyComment::md).collect(Collectors.joining(separator));
    }

    static String money(BigDecimal amount) {
        DecimalFormat f = new DecimalFormat("#,##0.00", DecimalFormatSymbols.getInstance(
                Locale.ROOT));
        return "$" + f.format(amount.setScale(2, RoundingMode.HALF_UP));
    }

    static String signed(BigDecimal amount) {
        int sign = amount.setScale(2, RoundingMode.HALF_UP).signum();
        String abs = money(amount.abs());
        return sign > 0 ? "+" + abs : sign < 0 ? "−" + abs : abs;
    }
}
