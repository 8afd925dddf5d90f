package io.tidegate.policy;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One environment of the policy: which Atlantis projects belong to it and what planning and
 * applying there requires. Environments are ordered in {@link PolicySet}; the first whose
 * {@link Match} fits a project wins.
 *
 * @param branches PR base branches from which apply is allowed; empty = any branch
 * @param cost     cost limit and budget; empty = no cost rule of its own
 * @param resources created-resource limits over the PR's projects in this environment
 * @param planRules rules on the plan's resource changes ({@code plan_rules}), in policy order
 * @param promotion the environment an apply must have succeeded in first; empty = none
 * @param freeze    who may freeze it on demand; empty = the policy's top-level {@code freeze}
 */
public record Environment(
        String name,
        Match match,
        Set<String> branches,
        PlanRule plan,
        ApplyRule apply,
        Optional<CostRule> cost,
        List<ResourceLimit> resources,
        List<PlanChangeRule> planRules,
        Optional<Promotion> promotion,
        Optional<FreezeRule> freeze) {
    public Environment {
        Objects.requireNonNull(name, "name == null");
        Objects.requireNonNull(match, "match == null");
        branches = OrderedSets.copyOf(branches, "branches");
        Objects.requireNonNull(plan, "plan == null");
        Objects.requireNonNull(apply, "apply == null");
        Objects.requireNonNull(cost, "cost == null");
        resources = List.copyOf(Objects.requireNonNull(resources, "resources == null"));
        planRules = List.copyOf(Objects.requireNonNull(planRules, "planRules == null"));
        Objects.requireNonNull(promotion, "promotion == null");
        Objects.requireNonNull(freeze, "freeze == null");
    }

    /** An environment without plan rules, promotion or a freeze rule of its own. */
    public Environment(String name, Match match, Set<String> branches, PlanRule plan,
            ApplyRule apply, Optional<CostRule> cost, List<ResourceLimit> resources) {
        this(name, match, branches, plan, apply, cost, resources, List.of(), Optional.empty(),
                Optional.empty());
    }

    /**
     * Which projects belong here. Every key given must match; patterns within a key are OR'ed;
     * an empty list means the key was not given (matches anything). An unnamed project (name "")
     * never matches a {@code projects} key.
     */
    public record Match(List<Glob> projects, List<Glob> dirs, List<Glob> workspaces) {
        public Match {
            projects = List.copyOf(Objects.requireNonNull(projects, "projects == null"));
            dirs = List.copyOf(Objects.requireNonNull(dirs, "dirs == null"));
            workspaces = List.copyOf(Objects.requireNonNull(workspaces, "workspaces == null"));
        }

        public boolean matches(String project, String dir, String workspace) {
            return fits(projects, project) && fits(dirs, normalizeDir(dir))
                    && fits(workspaces, workspace);
        }

        private static boolean fits(List<Glob> globs, String value) {
            if (globs.isEmpty()) {
                return true;
            }
            // a loop, not a stream: this runs for every report of every decision (issue 19)
            for (Glob g : globs) {
                if (g.matches(value)) {
                    return true;
                }
            }
            return false;
        }

        /** Atlantis reports {@code .} for the repo root and never a trailing slash. */
        static String normalizeDir(String dir) {
            String d = dir.startsWith("./") ? dir.substring(2) : dir;
            return d.endsWith("/") && d.length() > 1 ? d.substring(0, d.length() - 1) : d;
        }
    }

    /**
     * Who may plan. {@code allow} empty = anyone may plan.
     */
    public record PlanRule(boolean enabled, Set<String> allow) {
        public static final PlanRule ANYONE = new PlanRule(true, Set.of());

        public PlanRule {
            allow = OrderedSets.copyOf(allow, "allow");
        }
    }

    /**
     * What an apply needs.
     *
     * @param allow   roles of the person who runs the command; empty = anyone
     * @param window  a window name under {@code windows:}, or {@code always}
     * @param lockTtl present = one apply at a time in this environment
     */
    public record ApplyRule(
            boolean enabled,
            Set<String> allow,
            Approvals approvals,
            Requirements require,
            String window,
            Optional<Duration> lockTtl) {
        public static final String ALWAYS = "always";

        public ApplyRule {
            allow = OrderedSets.copyOf(allow, "allow");
            Objects.requireNonNull(approvals, "approvals == null");
            Objects.requireNonNull(require, "require == null");
            Objects.requireNonNull(window, "window == null");
            Objects.requireNonNull(lockTtl, "lockTtl == null");
        }
    }

    /**
     * Review approvals an apply needs.
     *
     * @param count        at least this many counted approvals
     * @param from         roles whose approvals count; empty = anyone's approval counts
     * @param dismissStale an approval counts only when given on the current head commit
     * @param eachOf       roles of which each must give at least one counted approval
     * @param codeowners   every changed file needs a counted approval from one of its code
     *                     owners (GitHub's CODEOWNERS at the base branch)
     * @param enforce      false: what is missing is reported as "would deny", not denied
     */
    public record Approvals(int count, Set<String> from, boolean dismissStale,
            Set<String> eachOf, boolean codeowners, boolean enforce) {
        public static final Approvals NONE = new Approvals(0, Set.of(), true);

        public Approvals {
            from = OrderedSets.copyOf(from, "from");
            eachOf = OrderedSets.copyOf(eachOf, "eachOf");
        }

        public Approvals(int count, Set<String> from, boolean dismissStale) {
            this(count, from, dismissStale, Set.of(), false, true);
        }
    }
}
