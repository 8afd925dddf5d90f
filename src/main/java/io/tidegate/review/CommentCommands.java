package io.tidegate.review;

import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import io.tidegate.decision.Command;
import io.tidegate.decision.Decision;
import io.tidegate.decision.DecisionEngine;
import io.tidegate.decision.Override;
import io.tidegate.decision.OverrideRule;
import io.tidegate.decision.ProjectRef;
import io.tidegate.decision.Reason;
import io.tidegate.github.CommentCommand;
import io.tidegate.github.CommentCommandParser;
import io.tidegate.notify.NotificationEvent;
import io.tidegate.notify.NotificationPublisher;
import io.tidegate.notify.PullRequestLink;
import io.tidegate.policy.Environment;
import io.tidegate.policy.PolicySet;
import io.tidegate.policy.Window;
import io.tidegate.policy.Windows;
import io.tidegate.store.AuditRecord;
import io.tidegate.store.OverrideRecord;
import io.tidegate.store.Store;

/**
 * Answers commands in PR comments. {@code atlantis apply} is decided for the commenter and
 * answered only when it would be denied (people learn why before Atlantis even runs);
 * {@code tidegate explain} lists every reason; {@code tidegate override --reason} records a window
 * override for the head commit when the commenter holds a role of the window's
 * {@code override.by}; {@code tidegate help} shows the usage; a malformed command gets a polite
 * correction. Comments by bots (Atlantis, Tidegate itself) are never answered, so two bots can
 * never talk to each other forever. Every answer goes through the outbox.
 */
public final class CommentCommands {
    /** An override reason is quoted in the reply; longer ones are cut. */
    private static final int OVERRIDE_REASON_MAX = 500;

    private final SnapshotSource snapshots;
    private final PolicySource policies;
    private final Store store;
    private final GitHubEffects effects;
    private final NotificationPublisher notifications;
    private final ReviewRequests reviews;
    private final PullRequestUrls urls;
    private final CommentCommandParser parser;
    private final Clock clock;
    private final EnvironmentCommands environmentCommands;

    public CommentCommands(SnapshotSource snapshots, PolicySource policies, Store store,
            GitHubEffects effects, NotificationPublisher notifications, ReviewRequests reviews,
            PullRequestUrls urls, CommentCommandParser parser, Clock clock) {
        this.snapshots = Objects.requireNonNull(snapshots, "snapshots == null");
        this.policies = Objects.requireNonNull(policies, "policies == null");
        this.store = Objects.requireNonNull(store, "store == null");
        this.effects = Objects.requireNonNull(effects, "effects == null");
        this.notifications = Objects.requireNonNull(notifications, "notifications == null");
        this.reviews = Objects.requireNonNull(reviews, "reviews == null");
        this.urls = Objects.requireNonNull(urls, "urls == null");
        this.parser = Objects.requireNonNull(parser, "parser == null");
        this.clock = Objects.requireNonNull(clock, "clock == null");
        this.environmentCommands = new EnvironmentCommands(snapshots, policies,
                new EnvironmentControl(store, policies, notifications,
                        new EnvironmentReviews(reviews), clock),
                urls);
    }

    public void handle(InboxMessage.Comment c) throws FactsUnavailableException {
        // Tidegate's own comments and every other bot's: answering them could loop.
        if (c.byBot() || c.body().stripLeading().startsWith("<!-- tidegate:")) {
            return;
        }
        CommentCommand command = parser.parse(c.body());
        if (command instanceof CommentCommand.Invalid invalid) {
            reply(c, invalid.reply());
        } else if (command instanceof CommentCommand.Help) {
            reply(c, help());
        } else if (command instanceof CommentCommand.Atlantis a) {
            // Atlantis reads the tidegate/<environment> status (mergeable) when it runs the
            // command: decide the PR again now, so a status gone stale is current by then.
            reviews.request(c.repo(), c.number(), "atlantis " + a.verb().name()
                    .toLowerCase(java.util.Locale.ROOT) + " comment", ReviewTrigger.COMMAND);
            if (a.verb() == CommentCommand.Verb.APPLY) {
                precheckApply(c, a);
            }
        } else if (command instanceof CommentCommand.Explain e) {
            explain(c, e.project());
        } else if (command instanceof CommentCommand.WindowOverride o) {
            override(c, o.reason());
        } else if (EnvironmentCommands.isEnvironmentCommand(command)) {
            reply(c, environmentCommands.handle(c, command, clock.instant()));
        }
    }

    static String help() {
        return "Tidegate commands:\n```\n" + CommentCommand.TIDEGATE_USAGE + "\n```\n"
                + "Tidegate also checks `atlantis apply` before Atlantis runs it and answers when"
                + " it would be denied:\n```\n" + CommentCommand.ATLANTIS_USAGE + "\n```\n";
    }

    private void precheckApply(InboxMessage.Comment c, CommentCommand.Atlantis a)
            throws FactsUnavailableException {
        Instant now = clock.instant();
        // Rule: a -d glob or a regex -p is matched by Atlantis against its own project list.
        if (!a.isSelectionKnowable()) {
            reply(c, "@" + c.commenter() + " Tidegate cannot tell which projects " + selector(a)
                    + " selects: Atlantis matches it against the projects of atlantis.yaml."
                    + " Each project it applies is judged by Tidegate's gate when Atlantis runs"
                    + " it; comment `tidegate explain -p PROJECT` to see one project's reasons.");
            return;
        }
        PullRequestSnapshot s = snapshots.snapshot(c.repo(), c.number(),
                Set.of(c.commenter()), now);
        String sha = shortSha(s);
        List<ProjectRef> projects = selected(s, a);
        if (projects.isEmpty()) {
            reply(c, "@" + c.commenter() + " Tidegate will deny `atlantis apply` at `" + sha
                    + "`: " + (s.reports().isEmpty()
                    ? "Atlantis has not reported a plan of this commit yet; run `atlantis plan` "
                    + "first." : "no planned project matches " + selector(a) + "."));
            return;
        }
        StringBuilder denied = new StringBuilder();
        PolicySet policy = policies.current().forRepo(c.repo());
        for (ProjectRef p : projects) {
            Decision d = DecisionEngine.decide(policy, s.factsFor(Command.APPLY, p,
                    c.commenter()), now);
            if (!d.isAllowed()) {
                denied.append(projectReasons(d, true));
            }
        }
        if (denied.length() > 0) {
            reply(c, "@" + c.commenter() + " Tidegate will deny `atlantis apply` at `" + sha
                    + "` for you:\n\n" + denied);
        }
    }

    private void explain(InboxMessage.Comment c, Optional<String> project)
            throws FactsUnavailableException {
        Instant now = clock.instant();
        PullRequestSnapshot s = snapshots.snapshot(c.repo(), c.number(),
                Set.of(c.commenter()), now);
        List<ProjectRef> projects = select(s, project, Optional.empty(), Optional.empty());
        if (projects.isEmpty()) {
            reply(c, s.reports().isEmpty()
                    ? "Nothing to explain yet: Atlantis has not reported a plan of `"
                    + shortSha(s) + "`."
                    : "No planned project is named " + StickyComment.code(project.orElse(""))
                    + "; the projects"
                    + " at `" + shortSha(s) + "` are " + labels(s.projects()) + ".");
            return;
        }
        StringBuilder out = new StringBuilder("What `atlantis apply` by @" + c.commenter()
                + " would meet at `" + shortSha(s) + "`:\n\n");
        PolicySet policy = policies.current().forRepo(c.repo());
        for (ProjectRef p : projects) {
            out.append(projectReasons(DecisionEngine.decide(policy,
                    s.factsFor(Command.APPLY, p, c.commenter()), now), false));
        }
        reply(c, out.toString());
    }

    /** Records an override for every environment of the PR whose window the commenter may lift. */
    private void override(InboxMessage.Comment c, String reason)
            throws FactsUnavailableException {
        Instant now = clock.instant();
        PullRequestSnapshot s = snapshots.snapshot(c.repo(), c.number(),
                Set.of(c.commenter()), now);
        PolicySet policy = policies.current().forRepo(c.repo());
        if (s.reports().isEmpty()) {
            reply(c, "@" + c.commenter() + " no override recorded: Atlantis has not reported a"
                    + " plan of `" + shortSha(s) + "` yet, so Tidegate does not know which"
                    + " environments this commit touches. Run `atlantis plan` first.");
            return;
        }
        Set<String> teams = teamsOf(s, c.commenter());
        Map<Environment, ProjectRef> touched = touchedEnvironments(policy, s);
        List<String> granted = new ArrayList<>();
        List<String> refused = new ArrayList<>();
        for (Map.Entry<Environment, ProjectRef> e : touched.entrySet()) {
            Environment env = e.getKey();
            OverrideRule.Eligibility may = OverrideRule.eligibility(policy, env, c.commenter(),
                    teams);
            if (!(may instanceof OverrideRule.Eligibility.Eligible ok)) {
                refused.add(StickyComment.md(env.name()) + ": " + notEligible(may));
                continue;
            }
            Instant expires = now.plus(ok.rule().expires());
            record(c, s, env, e.getValue(), ok.window(), reason, now, expires);
            granted.add(StickyComment.md(env.name()) + ": " + StickyComment.code(ok.window().name())
                    + " is lifted for `" + shortSha(s)
                    + "` until " + Windows.format(expires, ok.window().zone()));
        }
        StringBuilder out = new StringBuilder("@" + c.commenter() + " ");
        if (granted.isEmpty()) {
            out.append("no override recorded:\n");
            refused.forEach(r -> out.append("- ").append(r).append('\n'));
        } else {
            out.append("override recorded (reason: ").append(StickyComment.md(reason, OVERRIDE_REASON_MAX))
                    .append("):\n");
            granted.forEach(g -> out.append("- ").append(g).append('\n'));
            refused.forEach(r -> out.append("- not overridden, ").append(r).append('\n'));
            out.append("\nIt counts only for this commit: a new push needs a new override.\n");
            reviews.request(c.repo(), c.number(), "override by " + c.commenter());
        }
        reply(c, out.toString());
    }

    /** Why the commenter may not override an environment's window, for the reply. */
    private static String notEligible(OverrideRule.Eligibility may) {
        if (may instanceof OverrideRule.Eligibility.NoWindow) {
            return "its apply has no window";
        }
        if (may instanceof OverrideRule.Eligibility.NotOverridable n) {
            return "window " + StickyComment.code(n.window().name()) + " cannot be overridden";
        }
        if (may instanceof OverrideRule.Eligibility.RoleMissing m) {
            return "overriding " + StickyComment.code(m.window().name()) + " takes role "
                    + StickyComment.orList(m.rule().by());
        }
        throw new AssertionError(may);
    }

    private void record(InboxMessage.Comment c, PullRequestSnapshot s, Environment env,
            ProjectRef project, Window w, String reason, Instant now, Instant expires) {
        String head = s.pullRequest().headSha();
        store.overrides().add(new OverrideRecord(c.repo(), c.number(), env.name(),
                new Override(c.commenter(), head, now, reason), expires));
        store.audit().append(new AuditRecord(now, c.repo(), c.number(), head, project.label(),
                env.name(), "override", c.commenter(), "allow", List.of("override-active"),
                "sha256:" + policies.current().forRepo(c.repo()).sha256(),
                io.tidegate.audit.FactsJson.event("override", Map.of("window", w.name(),
                        "expires", expires.toString(), "reason", reason))));
        notifications.publish(new NotificationEvent.OverrideUsed(env.name(),
                new PullRequestLink(c.repo(), c.number(), s.pullRequest().title(),
                        URI.create(urls.of(c.repo(), c.number())), s.pullRequest().author()),
                project, c.commenter(), env.name() + " deployment window (" + w.name() + ")",
                reason));
    }

    /** Each environment of the head commit's projects, with its first project. */
    private static Map<Environment, ProjectRef> touchedEnvironments(PolicySet policy,
            PullRequestSnapshot s) {
        Map<Environment, ProjectRef> out = new LinkedHashMap<>();
        for (ProjectRef p : s.projects()) {
            DecisionEngine.environmentFor(policy, p).ifPresent(e -> out.putIfAbsent(e, p));
        }
        return out;
    }

    private static Set<String> teamsOf(PullRequestSnapshot s, String login) {
        return s.teams().entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(login))
                .findFirst().map(Map.Entry::getValue).orElse(Set.of());
    }

    /**
     * The planned projects an Atlantis command selects, as Atlantis selects them: all without
     * flags; by name with -p; else directory (default ".") and workspace (default "default"),
     * project_command_builder.go (buildProjectCommand, DefaultRepoRelDir, DefaultWorkspace),
     * Atlantis v0.47.
     */
    private static List<ProjectRef> selected(PullRequestSnapshot s, CommentCommand.Atlantis a) {
        if (!a.isForSpecificProject()) {
            return s.projects();
        }
        if (a.project().isPresent()) {
            return select(s, a.project(), Optional.empty(), Optional.empty());
        }
        return select(s, Optional.empty(), Optional.of(a.selectedDir()),
                Optional.of(a.selectedWorkspace()));
    }

    private static List<ProjectRef> select(PullRequestSnapshot s, Optional<String> project,
            Optional<String> dir, Optional<String> workspace) {
        return s.projects().stream()
                .filter(p -> project.isEmpty() || p.name().equals(project.get()))
                .filter(p -> dir.isEmpty() || trim(p.dir()).equals(trim(dir.get())))
                .filter(p -> workspace.isEmpty() || p.workspace().equals(workspace.get()))
                .toList();
    }

    private static String trim(String dir) {
        String d = dir.replaceAll("^\\./", "").replaceAll("/+$", "");
        return d.isEmpty() ? "." : d;
    }

    private static String selector(CommentCommand.Atlantis a) {
        // the arguments are the commenter's: shown inert, never as a code span they could close
        return a.project().map(p -> StickyComment.code("-p " + p))
                .orElseGet(() -> StickyComment.code("-d " + a.selectedDir() + " -w "
                        + a.selectedWorkspace()));
    }

    /** A project's decision, reason by reason; {@code blockingOnly} for a deny notice. */
    static String projectReasons(Decision d, boolean blockingOnly) {
        String env = d.assessment().environment().orElse("no environment");
        StringBuilder out = new StringBuilder("**"
                + StickyComment.md(d.assessment().project().label()) + "** ("
                + StickyComment.md(env) + "): " + (d.isAllowed() ? "✅ allowed" : "⛔ denied")
                + "\n");
        List<Reason> blocking = d.reasons().stream().filter(Reason::isBlocking).toList();
        List<Reason> notes = blockingOnly ? List.of()
                : d.reasons().stream().filter(r -> !r.isBlocking()).toList();
        if (blocking.isEmpty()) {
            out.append("- every rule is met\n");
        }
        blocking.forEach(r -> out.append(StickyComment.reason(r)));
        if (!notes.isEmpty()) {
            // Notes never block: apart from the reasons, so nobody waits on them.
            out.append("\n*Notes (they do not block):*\n\n");
            notes.forEach(r -> out.append(StickyComment.reason(r)));
        }
        return out.append('\n').toString();
    }

    private static String labels(List<ProjectRef> projects) {
        return String.join(", ", projects.stream().map(p -> StickyComment.code(p.label())).toList());
    }

    private static String shortSha(PullRequestSnapshot s) {
        String sha = s.pullRequest().headSha();
        return sha.length() > 7 ? sha.substring(0, 7) : sha;
    }

    private void reply(InboxMessage.Comment c, String body) {
        effects.reply(c.repo(), c.number(), c.commentId(), body);
    }
}
