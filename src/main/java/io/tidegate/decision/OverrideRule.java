package io.tidegate.decision;

import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import io.tidegate.policy.Environment;
import io.tidegate.policy.PolicySet;
import io.tidegate.policy.Window;

/**
 * Who may override an environment's deployment window, decided in one place for both sides: the
 * {@code /tidegate override} comment that records an override ({@link #eligibility}) and the
 * engine that counts a recorded one ({@link #counts}). Not whether it is still in force (expiry
 * and cost are the window check's): only whether this person may lift this window on this
 * commit.
 */
public final class OverrideRule {
    private OverrideRule() {}

    /** Whether and why not {@code user} may override an environment's window. */
    public sealed interface Eligibility {
        /** {@code user} may lift {@code window} under its {@code rule}. */
        record Eligible(Window window, Window.WindowOverride rule) implements Eligibility {
            public Eligible {
                Objects.requireNonNull(window, "window == null");
                Objects.requireNonNull(rule, "rule == null");
            }
        }

        /** The environment's apply has no window ({@code always}): nothing to lift. */
        record NoWindow() implements Eligibility {}

        /** The window has no {@code override} section. */
        record NotOverridable(Window window) implements Eligibility {}

        /** {@code user} holds none of the roles in the window's {@code override.by}. */
        record RoleMissing(Window window, Window.WindowOverride rule) implements Eligibility {}
    }

    /** The window of the environment's apply; empty for {@code always}. */
    public static Optional<Window> windowOf(PolicySet policy, Environment env) {
        String name = env.apply().window();
        return name.equals(Environment.ApplyRule.ALWAYS) ? Optional.empty()
                : policy.window(name);
    }

    /** Whether {@code user} (member of {@code teams}) may override the environment's window. */
    public static Eligibility eligibility(PolicySet policy, Environment env, String user,
            Set<String> teams) {
        Optional<Window> w = windowOf(policy, env);
        if (w.isEmpty()) {
            return new Eligibility.NoWindow();
        }
        if (w.get().override().isEmpty()) {
            return new Eligibility.NotOverridable(w.get());
        }
        Window.WindowOverride rule = w.get().override().get();
        return mayOverride(policy, rule, user, teams) ? new Eligibility.Eligible(w.get(), rule)
                : new Eligibility.RoleMissing(w.get(), rule);
    }

    /**
     * Whether a recorded override can lift the window for the PR of {@code facts}, time and
     * cost aside.
     */
    static boolean counts(PolicySet policy, Window.WindowOverride rule, Facts facts,
            Override o) {
        // Rule: only for the head commit it was given on (a new push needs a new override).
        return o.commitSha().equals(facts.pullRequest().headSha())
                // Rule: only by a role in `by`, judged with today's policy and teams.
                && mayOverride(policy, rule, o.user(), Logins.teamsOf(facts, o.user()));
    }

    private static boolean mayOverride(PolicySet policy, Window.WindowOverride rule,
            String user, Set<String> teams) {
        return policy.hasAnyRole(rule.by(), user, teams);
    }
}
