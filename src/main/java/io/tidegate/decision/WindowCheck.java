package io.tidegate.decision;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import io.tidegate.policy.Durations;
import io.tidegate.policy.Environment;
import io.tidegate.policy.PolicySet;
import io.tidegate.policy.Window;
import io.tidegate.policy.Windows;

/**
 * The deployment-window rule of one environment at one moment. A closed date is a
 * {@code freeze} (named by its reason) whether or not an open slot applies; outside every slot
 * it is {@code window-closed}. An override lifts both, and nothing else, only when given on the
 * head commit, by a role in the window's {@code override.by}, not yet expired, and while the
 * cost is not greater than the one it was given for ({@link GivenCost}); an override that only
 * the cost rule outdated is named in the reason, so its giver knows to decide again.
 */
final class WindowCheck {
    private final PolicySet policy;
    private final Optional<Window> window;
    private final Facts facts;
    private final Instant now;
    private final Optional<Windows.State> state;
    private final GivenCost givenCost;
    private final Optional<Assessment.ActiveOverride> override;
    private final Optional<Instant> nextOpening;

    WindowCheck(PolicySet policy, Environment env, Facts facts, Instant now, GivenCost givenCost) {
        this.policy = policy;
        this.facts = facts;
        this.now = now;
        this.givenCost = givenCost;
        this.window = OverrideRule.windowOf(policy, env);
        this.state = window.map(w -> Windows.state(w, now));
        this.override = window.flatMap(this::activeOverride);
        this.nextOpening = window.flatMap(w -> Windows.nextOpening(w, now));
    }

    List<Reason> reasons() {
        if (window.isEmpty() || state.get().isOpen()) {
            return List.of();
        }
        Window w = window.get();
        if (override.isPresent()) {
            Assessment.ActiveOverride o = override.get();
            return List.of(Reason.of(ReasonCode.OVERRIDE_ACTIVE, w.name() + " is lifted by "
                    + o.user() + "'s override (" + o.reason() + ") until "
                    + Windows.format(o.expires(), w.zone())));
        }
        if (state.get().status() == Windows.Status.FROZEN) {
            String day = Windows.formatDate(now, w.zone());
            return List.of(Reason.of(ReasonCode.FREEZE, w.name() + " is frozen on " + day + ": "
                    + state.get().freeze().get().reason() + outdatedOverride(w), remedy(w)));
        }
        return List.of(Reason.of(ReasonCode.WINDOW_CLOSED, w.name() + " is closed at "
                + Windows.format(now, w.zone()) + outdatedOverride(w), remedy(w)));
    }

    /** "; cto-lee's override no longer applies (given at $120.00/month, now $450.00)", or "". */
    private String outdatedOverride(Window w) {
        if (w.override().isEmpty()) {
            return "";
        }
        return applicable(w.override().get()).max(Comparator.comparing(Override::at))
                .flatMap(o -> givenCost.riseSince(Optional.of(o.at()))
                        .map(rise -> "; " + o.user() + "'s override no longer applies ("
                                + rise.describe("given") + ")"))
                .orElse("");
    }

    Optional<Assessment.WindowStatus> status() {
        return window.map(w -> new Assessment.WindowStatus(w.name(), w.zone().getId(),
                state.get().status(), state.get().freeze().map(c -> c.reason()), nextOpening,
                nextOpening.map(i -> Windows.format(i, w.zone())), override.isPresent()));
    }

    Optional<Assessment.ActiveOverride> activeOverride() {
        return override;
    }

    /** False when the window says {@code enforce: false}: closed then only "would deny". */
    boolean isEnforced() {
        return window.map(Window::enforce).orElse(true);
    }

    /** Whether an active override lifts the promotion rule too ({@code lifts: [..., promotion]}). */
    boolean liftsPromotion() {
        return override.isPresent() && window.flatMap(Window::override)
                .map(Window.WindowOverride::liftsPromotion).orElse(false);
    }

    private String remedy(Window w) {
        String opens = nextOpening
                .map(i -> w.name() + " opens " + Windows.format(i, w.zone()))
                .orElse(w.name() + " does not open in the next 400 days");
        return opens + w.override().map(o -> "; or an override by " + Text.or(o.by())
                + " on this commit lifts it for " + Durations.format(o.expires())).orElse("");
    }

    /** The most recent override that applies now, if any. */
    private Optional<Assessment.ActiveOverride> activeOverride(Window w) {
        if (w.override().isEmpty()) {
            return Optional.empty();
        }
        Window.WindowOverride rule = w.override().get();
        return applicable(rule)
                // Rule: only while the cost is not greater than the one it was given for.
                .filter(o -> givenCost.riseSince(Optional.of(o.at())).isEmpty())
                .max(Comparator.comparing(Override::at))
                .map(o -> new Assessment.ActiveOverride(o.user(), o.reason(), o.at(),
                        o.at().plus(rule.expires())));
    }

    /** The overrides that apply now, cost aside. */
    private Stream<Override> applicable(Window.WindowOverride rule) {
        return facts.overrides().stream()
                // Rule: on the head commit, by a role in `by` (OverrideRule).
                .filter(o -> OverrideRule.counts(policy, rule, facts, o))
                // Rule: from when it was given until it expires (half-open).
                .filter(o -> !o.at().isAfter(now) && now.isBefore(o.at().plus(rule.expires())));
    }
}
