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

/**
 * Renders Tidegate's one comment on a pull request: a table to scan, then one section per
 * environment (verdict, approvals, window, cost, resources, override, lock, what is missing and
 * how to fix it), then the per-project figures folded away. Every section after the table starts
 * with {@link CommentLimit#SECTION_BREAK}, so an oversized comment loses whole sections. No
 * timestamp of the rendering itself: the same state renders the same text, so an unchanged PR
 * never edits its comment. Pure.
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
            t.append("| **").append(cell(e.name())).append("** | ").append(verdict(e))
                    .append(" | ").append(approvalsShort(e)).append(" | ")
                    .append(cell(windowShort(a))).append(" | ").append(costShort(a))
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
        s.append("#### ").append(e.name()).append(" · ").append(verdict(e)).append("\n\n");
        s.append("Projects: ").append(e.projects().stream()
                .map(p -> "`" + p.label() + "`").collect(Collectors.joining(", ")));
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
        }
        List<Reason> blocking = e.blocking();
        if (!blocking.isEmpty()) {
            s.append("\n**What is missing**\n\n");
            blocking.forEach(r -> s.append(reason(r)));
        }
        List<Reason> notes = e.notes();
        if (!notes.isEmpty()) {
            s.append("\n**Notes**\n\n");
            notes.forEach(r -> s.append(reason(r)));
        }
        return s.toString();
    }

    /** One reason as a list item, with its remedy under it. */
    static String reason(Reason r) {
        return "- " + r.message() + " (`" + r.key() + "`)\n"
                + r.remedy().map(x -> "  - *To fix:* " + x + "\n").orElse("");
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
                : "approved by " + String.join(", ", a.approvers()));
        if (!a.changesRequestedBy().isEmpty()) {
            s.append("; changes requested by ").append(String.join(", ", a.changesRequestedBy()));
        }
        if (!a.ignored().isEmpty()) {
            s.append("; not counted: ").append(String.join("; ", a.ignored()));
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
            case FROZEN -> "frozen (" + w.freezeReason().orElse("closed date") + "); " + next;
        };
        return "`" + w.name() + "` (" + w.timezone() + ") is " + state
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
                .map(r -> "`" + r.key() + "` " + r.created() + " of " + r.max()
                        + (r.isExceeded() ? " ⚠️" : ""))
                .collect(Collectors.joining(" · "));
    }

    private static String override(Assessment a) {
        if (a.override().isEmpty()) {
            return "none";
        }
        Assessment.ActiveOverride o = a.override().get();
        ZoneId zone = a.window().map(w -> ZoneId.of(w.timezone())).orElse(ZoneId.of("UTC"));
        return "by " + o.user() + " until " + Windows.format(o.expires(), zone) + " — "
                + o.reason();
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
            s.append("| ").append(cell(r.project().name().isEmpty() ? "(unnamed)"
                    : r.project().name())).append(" | `").append(cell(r.project().dir()))
                    .append("` | ").append(cell(r.project().workspace())).append(" | ")
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
                s.append("\n**").append(r.project().label()).append("** creates ")
                        .append(p.createdByType().entrySet().stream()
                                .map(e -> e.getValue() + " × `" + e.getKey() + "`")
                                .collect(Collectors.joining(", ")))
                        .append('\n');
            });
        }
        return s.toString();
    }

    static String orList(Set<String> roles) {
        List<String> l = List.copyOf(roles);
        if (l.size() <= 1) {
            return String.join("", l);
        }
        return String.join(", ", l.subList(0, l.size() - 1)) + " or " + l.get(l.size() - 1);
    }

    /** A table cell: a pipe would end the cell, a newline the row. */
    private static String cell(String text) {
        return text.replace("|", "\\|").replace("\n", " ");
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
