package io.tidegate.review;

import java.net.URI;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import io.tidegate.decision.Freeze;
import io.tidegate.github.CommentCommand;
import io.tidegate.notify.PullRequestLink;
import io.tidegate.policy.FreezeRule;
import io.tidegate.policy.PolicySet;
import io.tidegate.policy.Windows;
import io.tidegate.store.HeldLock;

/**
 * The environment commands in PR comments: {@code tidegate freeze}, {@code tidegate unfreeze},
 * {@code tidegate unlock}. The commenter must hold a role of the environment's {@code freeze.by}
 * (else the top-level one's); then {@link EnvironmentControl} acts, and the reply confirms or
 * says exactly why not. Text the commenter wrote is shown in code spans (no mention pings, no
 * Markdown).
 */
final class EnvironmentCommands {
    private final SnapshotSource snapshots;
    private final PolicySource policies;
    private final EnvironmentControl control;
    private final PullRequestUrls urls;

    EnvironmentCommands(SnapshotSource snapshots, PolicySource policies,
            EnvironmentControl control, PullRequestUrls urls) {
        this.snapshots = Objects.requireNonNull(snapshots, "snapshots == null");
        this.policies = Objects.requireNonNull(policies, "policies == null");
        this.control = Objects.requireNonNull(control, "control == null");
        this.urls = Objects.requireNonNull(urls, "urls == null");
    }

    /** The reply to one environment command. */
    String handle(InboxMessage.Comment c, CommentCommand command, Instant now)
            throws FactsUnavailableException {
        String env = environmentOf(command);
        PolicySet policy = policies.current().forRepo(c.repo());
        String who = "@" + c.commenter() + " ";
        if (policy.environment(env).isEmpty()) {
            return who + "the policy has no environment `" + env + "` (environments: "
                    + String.join(", ", control.environments()) + ").";
        }
        PullRequestSnapshot s = snapshots.snapshot(c.repo(), c.number(), Set.of(c.commenter()),
                now);
        FreezeRule rule = policy.freezeRuleFor(env);
        // Rule: only a role of freeze.by (the environment's, else the top-level one) may.
        if (rule.by().isEmpty()) {
            return who + "nobody may freeze or unlock `" + env + "` from a comment: the policy "
                    + "gives it no `freeze: { by: [...] }` rule.";
        }
        if (!policy.hasAnyRole(rule.by(), c.commenter(), teamsOf(s, c.commenter()))) {
            return who + "freezing and unlocking `" + env + "` takes role "
                    + StickyComment.orList(rule.by()) + "; you have "
                    + orNone(policy.rolesOf(c.commenter(), teamsOf(s, c.commenter()))) + ".";
        }
        EnvironmentControl.Asked asked = new EnvironmentControl.Asked(c.commenter(),
                Optional.of(new PullRequestLink(c.repo(), c.number(), s.pullRequest().title(),
                        URI.create(urls.of(c.repo(), c.number())), s.pullRequest().author())),
                s.pullRequest().headSha());
        try {
            return who + act(command, env, asked);
        } catch (IllegalArgumentException e) {
            return who + "nothing done: " + e.getMessage() + ".";
        }
    }

    private String act(CommentCommand command, String env, EnvironmentControl.Asked asked) {
        if (command instanceof CommentCommand.Freeze f) {
            Optional<Instant> until = f.until().map(u -> EnvironmentControl.instant(u,
                    control.zoneOf(env)));
            EnvironmentControl.Done<Freeze> done = control.freeze(env, until, f.reason(),
                    f.overridable(), asked);
            return "froze `" + env + "` " + done.what().until().map(u -> "until "
                    + Windows.format(u, control.zoneOf(env))).orElse("until it is unfrozen")
                    + " (reason: " + code(f.reason()) + ")"
                    + (f.overridable() ? "; a window override lifts it" : "") + ". "
                    + reviewed(done.reviewed());
        }
        if (command instanceof CommentCommand.Unfreeze) {
            EnvironmentControl.Done<Optional<Freeze>> done = control.unfreeze(env, asked);
            return done.what().map(f -> "lifted the freeze of `" + env + "` by " + f.by()
                    + " (" + code(f.reason()) + "). " + reviewed(done.reviewed()))
                    .orElse("`" + env + "` is not frozen: nothing to lift.");
        }
        if (command instanceof CommentCommand.Unlock u) {
            EnvironmentControl.Done<Optional<HeldLock>> done = control.unlock(env, u.reason(),
                    asked);
            return done.what().map(l -> "released the apply lock of `" + env + "` held by "
                    + l.owner() + " (reason: " + code(u.reason()) + "). If its apply is still "
                    + "running, the next apply may overlap it. " + reviewed(done.reviewed()))
                    .orElse("the apply lock of `" + env + "` is free: nothing to release.");
        }
        throw new AssertionError(command);
    }

    static boolean isEnvironmentCommand(CommentCommand command) {
        return command instanceof CommentCommand.Freeze
                || command instanceof CommentCommand.Unfreeze
                || command instanceof CommentCommand.Unlock;
    }

    private static String environmentOf(CommentCommand command) {
        if (command instanceof CommentCommand.Freeze f) {
            return f.environment();
        }
        if (command instanceof CommentCommand.Unfreeze u) {
            return u.environment();
        }
        if (command instanceof CommentCommand.Unlock u) {
            return u.environment();
        }
        throw new AssertionError(command);
    }

    private static String reviewed(int n) {
        return n == 0 ? "No open pull request of it was planned lately."
                : n + (n == 1 ? " pull request is" : " pull requests are") + " re-evaluated.";
    }

    /** Text a person wrote, shown literally: no mention pings, no Markdown. */
    static String code(String text) {
        return "`" + text.replaceAll("[\\r\\n\\t]+", " ").replace('`', '\'') + "`";
    }

    private static String orNone(Set<String> roles) {
        return roles.isEmpty() ? "no role" : "role " + String.join(", ", roles);
    }

    private static Set<String> teamsOf(PullRequestSnapshot s, String login) {
        return s.teams().entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(login))
                .findFirst().map(Map.Entry::getValue).orElse(Set.of());
    }
}
