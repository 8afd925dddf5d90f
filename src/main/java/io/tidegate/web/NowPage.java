package io.tidegate.web;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import io.tidegate.policy.Environment;
import io.tidegate.policy.PolicySet;
import io.tidegate.policy.Window;
import io.tidegate.policy.Windows;
import io.tidegate.review.WaitingPullRequest;
import io.tidegate.store.HeldLock;

/**
 * "Environments now" (the page {@code /} and {@code GET /api/v1/dashboard/now}): per
 * environment of the policy, the window state and its next change in the policy's zone and the
 * viewer's, the active overrides (from the last review of each open PR), the lock holder, and
 * the next seven days as open and closed stretches. Built from the policy, the store's locks and
 * review board, and {@code now}; no clock is read here.
 */
public record NowPage(Header header, String viewerZone, Instant timelineStart,
        Instant timelineEnd, List<Tick> ticks, List<EnvironmentNow> environments) {
    static final Duration TIMELINE = Duration.ofDays(7);

    public NowPage {
        Objects.requireNonNull(header, "header == null");
        Objects.requireNonNull(viewerZone, "viewerZone == null");
        ticks = List.copyOf(ticks);
        environments = List.copyOf(environments);
    }

    /** A day boundary on the timeline's 0..1000 axis, labelled in the policy's zone. */
    public record Tick(int x, String label) {}

    /** One environment at this moment. {@code state} is open, closed, frozen or disabled. */
    public record EnvironmentNow(String name, String state, String windowName,
            Optional<String> freezeReason, Optional<Change> nextChange, Optional<LockView> lock,
            List<OverrideView> overrides, List<Stretch> timeline) {
        public EnvironmentNow {
            timeline = List.copyOf(timeline);
            overrides = List.copyOf(overrides);
        }
    }

    /** The next instant the state changes, said in the policy's zone and the viewer's. */
    public record Change(String what, Instant at, String policyTime, String viewerTime) {}

    /** The environment's lock: the PR holding it, since when, and how long it may still run. */
    public record LockView(String owner, String url, Instant since, Instant expiresAt,
            long minutesLeft) {}

    /** An active emergency override on an open PR. */
    public record OverrideView(String pullRequest, String url, String user, String reason,
            Instant until, String untilPolicyTime) {}

    /**
     * A stretch of the timeline: {@code kind} open, closed or frozen; {@code x} and
     * {@code width} place it on a 0..1000 axis of the seven days.
     */
    public record Stretch(String kind, Instant start, Instant end, String label, int x,
            int width) {
        public Stretch {
            label = label == null ? "" : label;
        }
    }

    static NowPage build(PolicySet policy, List<HeldLock> locks,
            List<WaitingPullRequest> board, Links links, ZoneId viewer, Instant now) {
        Instant end = now.plus(TIMELINE);
        List<EnvironmentNow> envs = new ArrayList<>();
        for (Environment env : policy.environments()) {
            envs.add(environment(policy, env, locks, board, links, viewer, now, end));
        }
        return new NowPage(Header.of(policy, now), viewer.getId(), now, end,
                ticks(policy.timezone(), now, end), envs);
    }

    private static EnvironmentNow environment(PolicySet policy, Environment env,
            List<HeldLock> locks, List<WaitingPullRequest> board, Links links, ZoneId viewer,
            Instant now, Instant end) {
        Optional<LockView> lock = locks.stream().filter(l -> l.environment().equals(env.name()))
                .findFirst().map(l -> new LockView(l.owner(), links.pullRequestUrl(l.owner()),
                        l.acquiredAt(), l.expiresAt(),
                        Math.max(0, Duration.between(now, l.expiresAt()).toMinutes())));
        List<OverrideView> overrides = overrides(env.name(), board, policy.timezone(), now);
        String windowName = env.apply().window();
        if (!env.apply().enabled()) {
            return new EnvironmentNow(env.name(), "disabled", windowName, Optional.empty(),
                    Optional.empty(), lock, overrides, List.of(new Stretch("closed", now, end,
                            "apply disabled", 0, 1000)));
        }
        Optional<Window> window = policy.window(windowName);
        if (window.isEmpty()) {
            // "always" (or no window): open around the clock
            return new EnvironmentNow(env.name(), "open", windowName, Optional.empty(),
                    Optional.empty(), lock, overrides, List.of(new Stretch("open", now, end,
                            "open", 0, 1000)));
        }
        Window w = window.get();
        Windows.State state = Windows.state(w, now);
        return new EnvironmentNow(env.name(), state.status().name().toLowerCase(
                java.util.Locale.ROOT), windowName,
                state.freeze().map(io.tidegate.policy.ClosedDates::reason),
                nextChange(w, state, viewer, now), lock, overrides, timeline(w, now, end));
    }

    private static Optional<Change> nextChange(Window w, Windows.State state, ZoneId viewer,
            Instant now) {
        Optional<Instant> at;
        String what;
        if (state.isOpen()) {
            what = "closes";
            at = Windows.openPeriods(w, now, now.plus(Duration.ofDays(400))).stream()
                    .findFirst().map(Windows.Period::end);
        } else {
            what = "opens";
            at = Windows.nextOpening(w, now);
        }
        return at.map(t -> new Change(what, t, Windows.format(t, w.zone()),
                Windows.format(t, viewer)));
    }

    private static List<Tick> ticks(ZoneId zone, Instant now, Instant end) {
        List<Tick> out = new ArrayList<>();
        double span = Duration.between(now, end).toMillis();
        java.time.format.DateTimeFormatter f = java.time.format.DateTimeFormatter.ofPattern(
                "EEE d", java.util.Locale.ENGLISH);
        for (java.time.LocalDate d = java.time.LocalDate.ofInstant(now, zone).plusDays(1);
                d.atStartOfDay(zone).toInstant().isBefore(end); d = d.plusDays(1)) {
            Instant t = d.atStartOfDay(zone).toInstant();
            out.add(new Tick((int) Math.round(Duration.between(now, t).toMillis() / span * 1000),
                    f.format(d)));
        }
        return out;
    }

    private static List<Stretch> timeline(Window w, Instant now, Instant end) {
        List<Stretch> out = new ArrayList<>();
        double span = Duration.between(now, end).toMillis();
        for (Windows.Stretch s : Windows.calendar(w, now, end)) {
            int x = (int) Math.round(Duration.between(now, s.period().start()).toMillis()
                    / span * 1000);
            int x2 = (int) Math.round(Duration.between(now, s.period().end()).toMillis()
                    / span * 1000);
            String kind = s.open() ? "open"
                    : s.why().stream().anyMatch(r -> r.startsWith("freeze")) ? "frozen"
                    : "closed";
            String label = s.open() ? "open" : String.join("; ", s.why());
            out.add(new Stretch(kind, s.period().start(), s.period().end(), label, x,
                    Math.max(1, x2 - x)));
        }
        return out;
    }

    private static List<OverrideView> overrides(String env, List<WaitingPullRequest> board,
            ZoneId zone, Instant now) {
        List<OverrideView> out = new ArrayList<>();
        for (WaitingPullRequest pr : board) {
            for (WaitingPullRequest.EnvironmentWait e : pr.environments()) {
                if (!e.environment().equals(env)) {
                    continue;
                }
                for (WaitingPullRequest.OverrideNote o : e.override()) {
                    if (o.until().isAfter(now)) {
                        out.add(new OverrideView(pr.repo() + "#" + pr.number(), pr.url(),
                                o.user(), o.reason(), o.until(), Windows.format(o.until(),
                                        zone)));
                    }
                }
            }
        }
        return out;
    }
}
