package io.tidegate.policy;

import java.math.BigDecimal;
import java.time.ZoneId;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * A parsed, validated policy ({@code policies/policy.yaml}): roles, ordered environments, cost
 * tiers, windows and notification routing, and the ISO 4217 {@link #currency()} its cost
 * figures are in (Infracost figures in another currency are never compared with them). Built only by {@link PolicyParser}, which has already
 * checked that every role and window named exists, so lookups by name here cannot miss for
 * names taken from the policy itself.
 *
 * <p>{@link #sha256()} is the hash of the policy text it was read from (hex, for audit rows: which
 * policy decided); with {@code repos:} naming files, every policy of the file carries the hash of
 * the whole set, root and named files ({@link PolicyFiles#sha256Of}), the version replay rebuilds. {@link #fileProblem()} is present when a running server's policy file on
 * disk is invalid: this is then the last good policy, still used to plan, explain and route
 * notifications, but the decision engine denies every apply against it (never fail open).
 * {@link #unavailable(String)} is the stand-in while no valid policy was ever loaded: no roles,
 * no environments, the problem; every decision against it is a deny naming the problem,
 * whatever the caller does.
 */
public record PolicySet(
        int version,
        ZoneId timezone,
        Map<String, Role> roles,
        List<Environment> environments,
        List<CostTier> costApprovals,
        Map<String, Window> windows,
        NotificationRules notifications,
        String sha256,
        Optional<String> fileProblem,
        FreezeRule freeze,
        List<RepoPolicy> repos,
        Optional<String> ungoverned,
        String currency) {
    /** Infracost's default currency, and the policy's when it names none. */
    public static final String DEFAULT_CURRENCY = "USD";

    public PolicySet {
        Objects.requireNonNull(timezone, "timezone == null");
        roles = Map.copyOf(Objects.requireNonNull(roles, "roles == null"));
        environments = List.copyOf(Objects.requireNonNull(environments, "environments == null"));
        costApprovals = List.copyOf(Objects.requireNonNull(costApprovals, "costApprovals == null"));
        windows = Map.copyOf(Objects.requireNonNull(windows, "windows == null"));
        Objects.requireNonNull(notifications, "notifications == null");
        Objects.requireNonNull(sha256, "sha256 == null");
        Objects.requireNonNull(fileProblem, "fileProblem == null");
        Objects.requireNonNull(freeze, "freeze == null");
        repos = List.copyOf(Objects.requireNonNull(repos, "repos == null"));
        Objects.requireNonNull(ungoverned, "ungoverned == null");
        Objects.requireNonNull(currency, "currency == null");
    }

    /**
     * A policy without a top-level {@code freeze} rule or {@code repos:}, in
     * {@link #DEFAULT_CURRENCY}.
     */
    public PolicySet(int version, ZoneId timezone, Map<String, Role> roles,
            List<Environment> environments, List<CostTier> costApprovals,
            Map<String, Window> windows, NotificationRules notifications, String sha256,
            Optional<String> fileProblem) {
        this(version, timezone, roles, environments, costApprovals, windows, notifications,
                sha256, fileProblem, FreezeRule.NOBODY, List.of(), Optional.empty(),
                DEFAULT_CURRENCY);
    }

    /**
     * The policy that decides for {@code repo} ({@code owner/name}). A file without
     * {@code repos:} governs every repository it is used for: this policy itself. With
     * {@code repos:}, the first entry whose {@code match} fits, carrying this file's problem if
     * it has one; a repository no entry matches gets a policy that denies everything with
     * {@code repo-not-governed} ({@link #ungoverned()} present), never a default.
     */
    public PolicySet forRepo(String repo) {
        if (repos.isEmpty()) {
            return this;
        }
        for (RepoPolicy r : repos) {
            if (r.governs(repo)) {
                return fileProblem.map(r.policy()::withFileProblem).orElse(r.policy());
            }
        }
        return new PolicySet(version, timezone, Map.of(), List.of(), List.of(), Map.of(),
                notifications, sha256, fileProblem, FreezeRule.NOBODY, List.of(),
                Optional.of(repo), currency);
    }

    /** With {@code repos:}, the entry that governs {@code repo} (first match). */
    public Optional<RepoPolicy> repoPolicyFor(String repo) {
        return repos.stream().filter(r -> r.governs(repo)).findFirst();
    }

    /** This policy, or with {@code repos:} each repository's policy in file order. */
    public List<PolicySet> governing() {
        return repos.isEmpty() ? List.of(this) : repos.stream().map(RepoPolicy::policy).toList();
    }

    /** Whether this file maps repositories to policies ({@code repos:}). */
    public boolean isByRepository() {
        return !repos.isEmpty();
    }

    /** What no policy text hashes to: the {@link #sha256()} of {@link #unavailable(String)}. */
    public static final String NO_POLICY = "none";

    /**
     * The policy in force while no valid policy was ever loaded: every decision against it is a
     * deny whose reason is {@code problem} (e.g. {@code policy.yaml:3:1: unknown key "rols"}).
     */
    public static PolicySet unavailable(String problem) {
        Objects.requireNonNull(problem, "problem == null");
        return new PolicySet(1, ZoneId.of("UTC"), Map.of(), List.of(), List.of(), Map.of(),
                NotificationRules.NONE, NO_POLICY, Optional.of(problem));
    }

    /** This policy as part of the policy set whose content address is {@code sha256}. */
    PolicySet withSha256(String sha256) {
        return new PolicySet(version, timezone, roles, environments, costApprovals, windows,
                notifications, sha256, fileProblem, freeze, repos, ungoverned, currency);
    }

    /** This policy, kept while the file on disk has {@code problem}: applies are denied. */
    public PolicySet withFileProblem(String problem) {
        Objects.requireNonNull(problem, "problem == null");
        return new PolicySet(version, timezone, roles, environments, costApprovals, windows,
                notifications, sha256, Optional.of(problem), freeze, repos, ungoverned,
                currency);
    }

    /**
     * Who may freeze, unfreeze and unlock the environment: its own {@code freeze} rule, else
     * the top-level one ({@link FreezeRule#NOBODY} when neither is written).
     */
    public FreezeRule freezeRuleFor(String environment) {
        return environment(environment).flatMap(Environment::freeze).orElse(freeze);
    }

    public Optional<Environment> environmentFor(String name, String dir, String workspace) {
        // a loop, not a stream: asked once per report of every decision (issue 19)
        for (Environment e : environments) {
            if (e.match().matches(name, dir, workspace)) {
                return Optional.of(e);
            }
        }
        return Optional.empty();
    }

    public Optional<Environment> environment(String name) {
        return environments.stream().filter(e -> e.name().equals(name)).findFirst();
    }

    public Optional<Window> window(String name) {
        return Optional.ofNullable(windows.get(name));
    }

    /** Whether this login (member of these teams) holds the named role. */
    public boolean hasRole(String role, String login, Collection<String> teams) {
        Role r = roles.get(role);
        return r != null && r.isHeldBy(login, teams);
    }

    /** Whether this login holds any of the roles. */
    public boolean hasAnyRole(Collection<String> roleNames, String login,
            Collection<String> teams) {
        return roleNames.stream().anyMatch(r -> hasRole(r, login, teams));
    }

    /** Every role this login holds, sorted. */
    public Set<String> rolesOf(String login, Collection<String> teams) {
        Set<String> out = new TreeSet<>();
        roles.values().stream().filter(r -> r.isHeldBy(login, teams))
                .forEach(r -> out.add(r.name()));
        return out;
    }

    /** The highest {@code cost_approvals} row whose {@code above} the increase exceeds. */
    public Optional<CostTier> tierFor(BigDecimal monthlyIncrease) {
        CostTier best = null;
        for (CostTier t : costApprovals) {
            if (monthlyIncrease.compareTo(t.above()) > 0
                    && (best == null || t.above().compareTo(best.above()) > 0)) {
                best = t;
            }
        }
        return Optional.ofNullable(best);
    }
}
