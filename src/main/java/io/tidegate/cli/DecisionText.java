package io.tidegate.cli;

import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.tidegate.decision.Assessment;
import io.tidegate.decision.Decision;
import io.tidegate.decision.Reason;
import io.tidegate.policy.Windows;

/** Renders a decision for the terminal ({@code simulate}) and as JSON-ready maps. */
final class DecisionText {
    private DecisionText() {}

    static List<String> lines(Decision d, Instant at, ZoneId zone) {
        Assessment a = d.assessment();
        List<String> out = new ArrayList<>();
        out.add((d.isAllowed() ? "ALLOW " : "DENY ") + a.command().word() + " "
                + a.project().label() + " in " + a.environment().orElse("(no environment)")
                + " at " + Windows.format(at, zone));
        for (Reason r : d.reasons()) {
            if (r.isBlocking()) {
                out.add("  " + r.key() + ": " + r.message());
                r.remedy().ifPresent(x -> out.add("    -> " + x));
            }
        }
        // Notes never block: listed apart, so nobody reads them as what stands in the way.
        List<Reason> notes = d.reasons().stream().filter(r -> !r.isBlocking()).toList();
        if (!notes.isEmpty()) {
            out.add("Notes (they do not block):");
            notes.forEach(r -> out.add("  " + r.key() + ": " + r.message()));
        }
        return out;
    }

    static Map<String, Object> json(Decision d, Instant at) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("decision", d.isAllowed() ? "allow" : "deny");
        m.put("at", at.toString());
        List<Map<String, Object>> reasons = new ArrayList<>();
        for (Reason r : d.reasons()) {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("code", r.key());
            x.put("blocking", r.isBlocking());
            x.put("message", r.message());
            x.put("remedy", r.remedy().orElse(null));
            reasons.add(x);
        }
        m.put("reasons", reasons);
        m.put("assessment", assessment(d.assessment()));
        return m;
    }

    private static Map<String, Object> assessment(Assessment a) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("command", a.command().word());
        m.put("project", Map.of("name", a.project().name(), "dir", a.project().dir(),
                "workspace", a.project().workspace()));
        m.put("environment", a.environment().orElse(null));
        Assessment.ApprovalStatus ap = a.approvals();
        Map<String, Object> approvals = new LinkedHashMap<>();
        approvals.put("counted", ap.counted());
        approvals.put("needed", ap.needed());
        approvals.put("approvers", ap.approvers());
        approvals.put("from", ap.from());
        approvals.put("must_include", ap.mustInclude());
        approvals.put("ignored", ap.ignored());
        approvals.put("changes_requested_by", ap.changesRequestedBy());
        m.put("approvals", approvals);
        m.put("window", a.window().map(DecisionText::window).orElse(null));
        m.put("cost", a.cost().map(DecisionText::cost).orElse(null));
        List<Map<String, Object>> resources = new ArrayList<>();
        a.resources().forEach(r -> resources.add(Map.of("key", r.key(), "created", r.created(),
                "max", r.max())));
        m.put("resources", resources);
        m.put("override", a.override().map(o -> Map.of("user", o.user(), "reason", o.reason(),
                "at", o.at().toString(), "expires", o.expires().toString())).orElse(null));
        m.put("lock_holder", a.lockHolder().orElse(null));
        List<Map<String, Object>> rules = new ArrayList<>();
        a.planRules().forEach(r -> rules.add(Map.of("name", r.name(), "matched", r.matched(),
                "effect", r.effect(), "met", r.met(), "enforced", r.enforced())));
        m.put("plan_rules", rules);
        m.put("promotion", a.promotion().map(p -> {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("after", p.after());
            x.put("same", p.same());
            x.put("since", p.since().map(Instant::toString).orElse(null));
            x.put("ready_at", p.readyAt().map(Instant::toString).orElse(null));
            x.put("lifted", p.lifted());
            x.put("enforced", p.enforced());
            return x;
        }).orElse(null));
        return m;
    }

    private static Map<String, Object> window(Assessment.WindowStatus w) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", w.name());
        m.put("timezone", w.timezone());
        m.put("state", w.state().name().toLowerCase(java.util.Locale.ROOT));
        m.put("freeze_reason", w.freezeReason().orElse(null));
        m.put("next_opening", w.nextOpening().map(Instant::toString).orElse(null));
        m.put("next_opening_local", w.nextOpeningLocal().orElse(null));
        m.put("overridden", w.overridden());
        return m;
    }

    private static Map<String, Object> cost(Assessment.CostStatus c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("monthly_increase", c.monthlyIncrease().map(x -> x.toPlainString()).orElse(null));
        m.put("limit", c.limit().map(x -> x.toPlainString()).orElse(null));
        m.put("monthly_total", c.monthlyTotal().map(x -> x.toPlainString()).orElse(null));
        m.put("budget", c.budget().map(x -> x.toPlainString()).orElse(null));
        m.put("warn_above", c.warnAbove().map(x -> x.toPlainString()).orElse(null));
        m.put("projects", c.projects());
        return m;
    }
}
