package io.tidegate.decision;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import io.tidegate.policy.Environment;
import io.tidegate.policy.PolicySet;
import io.tidegate.policy.Window;
import io.tidegate.policy.Windows;

/**
 * When a pull request's apply verdict can next change by time alone, with no event of anyone:
 * its environments' windows opening or closing, freezes starting or ending, an override on its
 * head commit starting or expiring, another PR's lock running out its TTL, a promotion's soak
 * ending. Whoever shows the
 * verdict (commit statuses, the sticky comment) decides again at that instant. Pure: the moment
 * is a parameter.
 *
 * <p>Not edges: approvals, labels, plans and cost (they change by events, which re-decide
 * anyway) and a lock released early (its release re-decides the PRs waiting on it).
 */
public final class TimeEdges {
    private TimeEdges() {}

    /** One instant at which a verdict may change, the environment concerned, and why. */
    public record Edge(Instant at, String environment, String why) {
        public Edge {
            Objects.requireNonNull(at, "at == null");
            Objects.requireNonNull(environment, "environment == null");
            Objects.requireNonNull(why, "why == null");
        }
    }

    /**
     * The earliest edge strictly after {@code now} of the PR in {@code environments} (policy
     * names; unknown ones are skipped).
     *
     * @param facts        the PR's facts (any project): head commit, overrides, teams, locks
     * @param lockExpiries when each environment's held lock expires, by environment
     */
    public static Optional<Edge> next(PolicySet policy, Collection<String> environments,
            Facts facts, Map<String, Instant> lockExpiries, Instant now) {
        return next(policy, environments, facts, lockExpiries, List.of(), now);
    }

    /**
     * As above, and the promotion soaks of {@code decisions} (the PR's apply decisions at
     * {@code now}): each one's ready-at instant still ahead is an edge. The soak is read from
     * the decision rather than recomputed, so the edge is exactly when the check would pass.
     */
    public static Optional<Edge> next(PolicySet policy, Collection<String> environments,
            Facts facts, Map<String, Instant> lockExpiries, Collection<Decision> decisions,
            Instant now) {
        Objects.requireNonNull(lockExpiries, "lockExpiries == null");
        Objects.requireNonNull(decisions, "decisions == null");
        List<Edge> edges = new ArrayList<>();
        for (Decision d : decisions) {
            promotionEdge(d, now).ifPresent(edges::add);
        }
        for (String name : environments) {
            edges.addAll(freezeEdges(facts, name, now));
            policy.environment(name).filter(e -> e.apply().enabled()).ifPresent(env -> {
                OverrideRule.windowOf(policy, env).ifPresent(w -> {
                    windowEdge(w, env.name(), now).ifPresent(edges::add);
                    edges.addAll(overrideEdges(policy, w, env.name(), facts, now));
                });
                lockEdge(env, facts, lockExpiries, now).ifPresent(edges::add);
            });
        }
        return edges.stream().min(Comparator.comparing(Edge::at));
    }

    /** The window's next change, named by what it becomes. */
    static Optional<Edge> windowEdge(Window w, String environment, Instant now) {
        return Windows.nextChange(w, now).map(at -> new Edge(at, environment,
                change(w, Windows.state(w, now), Windows.state(w, at))));
    }

    private static String change(Window w, Windows.State before, Windows.State after) {
        if (after.status() == Windows.Status.FROZEN) {
            return w.name() + " freeze starts: " + after.freeze().get().reason();
        }
        if (before.status() == Windows.Status.FROZEN) {
            return w.name() + " freeze ends: " + before.freeze().get().reason();
        }
        return w.name() + (after.isOpen() ? " opens" : " closes");
    }

    /**
     * Overrides that can lift this window for the PR (head commit, a role of {@code by}): when
     * each starts counting (a recorded time ahead of the clock) and when it expires.
     */
    private static List<Edge> overrideEdges(PolicySet policy, Window w, String environment,
            Facts facts, Instant now) {
        if (w.override().isEmpty()) {
            return List.of();
        }
        Window.WindowOverride rule = w.override().get();
        List<Edge> out = new ArrayList<>();
        for (Override o : facts.overrides()) {
            if (!OverrideRule.counts(policy, rule, facts, o)) {
                continue;
            }
            if (o.at().isAfter(now)) {
                out.add(new Edge(o.at(), environment, o.user() + "'s override starts"));
            }
            Instant expires = o.at().plus(rule.expires());
            if (expires.isAfter(now)) {
                out.add(new Edge(expires, environment, o.user() + "'s override expires"));
            }
        }
        return out;
    }

    /**
     * The decision's promotion soak ends. No edge when no earlier apply was found (only a new
     * apply can change that, and its result re-decides) or the soak is already over.
     */
    static Optional<Edge> promotionEdge(Decision d, Instant now) {
        Optional<Assessment.PromotionStatus> p = d.assessment().promotion();
        Optional<Instant> ready = p.flatMap(Assessment.PromotionStatus::readyAt)
                .filter(at -> at.isAfter(now));
        return ready.map(at -> new Edge(at, d.assessment().environment().orElse(""),
                "the promotion soak after " + p.get().after() + " ends"));
    }

    /**
     * An on-demand freeze of the environment starts or runs out ({@code --until}); a freeze
     * without an end changes nothing by time alone (its unfreeze re-reviews).
     */
    static List<Edge> freezeEdges(Facts facts, String environment, Instant now) {
        List<Edge> out = new ArrayList<>();
        for (Freeze f : facts.freezes()) {
            if (!f.environment().equals(environment)) {
                continue;
            }
            if (f.since().isAfter(now)) {
                out.add(new Edge(f.since(), environment, "the freeze by " + f.by() + " starts"));
            }
            f.until().filter(u -> u.isAfter(now)).ifPresent(u -> out.add(new Edge(u,
                    environment, "the freeze by " + f.by() + " ends")));
        }
        return out;
    }

    /** Another PR's lock on the environment lapses by its TTL. */
    private static Optional<Edge> lockEdge(Environment env, Facts facts,
            Map<String, Instant> lockExpiries, Instant now) {
        if (env.apply().lockTtl().isEmpty()) {
            return Optional.empty();
        }
        String self = facts.pullRequest().key();
        Optional<Lock> other = facts.locks().stream()
                .filter(l -> l.environment().equals(env.name()) && !l.holder().equals(self))
                .findFirst();
        Instant expires = lockExpiries.get(env.name());
        if (other.isEmpty() || expires == null || !expires.isAfter(now)) {
            return Optional.empty();
        }
        return Optional.of(new Edge(expires, env.name(), "the lock of " + other.get().holder()
                + " expires"));
    }
}
