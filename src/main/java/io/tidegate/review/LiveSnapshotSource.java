package io.tidegate.review;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import io.tidegate.decision.Freeze;
import io.tidegate.decision.Lock;
import io.tidegate.decision.OwnedFile;
import io.tidegate.decision.Override;
import io.tidegate.decision.PriorApply;
import io.tidegate.decision.ProjectReport;
import io.tidegate.decision.Review;
import io.tidegate.github.CodeOwnersFile;
import io.tidegate.github.GitHubException;
import io.tidegate.github.PullRequestFacts;
import io.tidegate.github.PullRequests;
import io.tidegate.policy.PolicySet;
import io.tidegate.policy.Promotion;
import io.tidegate.policy.Role;
import io.tidegate.store.CostReport;
import io.tidegate.store.Deployment;
import io.tidegate.store.DeploymentStatus;
import io.tidegate.store.HeldLock;
import io.tidegate.store.OverrideRecord;
import io.tidegate.store.Retention;
import io.tidegate.store.Store;
import io.tidegate.store.StoreException;

/**
 * The snapshot as the running server gathers it: the PR and its reviews from GitHub, the team
 * memberships the policy's roles can ask about (of the author, every reviewer and the extra
 * logins, and whoever gave an override on the PR), then the head commit's reports (current and
 * replaced), the PR's overrides and the held locks from the store; for promotion, the head
 * commit's Git tree (one GitHub read per new commit, only when a promotion compares trees) and the
 * repository's successful applies.
 *
 * <p>Only teams some role names are looked up, so a policy that grants roles by user only costs no
 * membership calls at all. Any failure on the way is a {@link FactsUnavailableException} naming
 * what could not be read: a caller denies rather than decide on part of the facts.
 */
public final class LiveSnapshotSource implements SnapshotSource {
    private final PullRequests github;
    private final Store store;
    private final PolicySource policy;

    public LiveSnapshotSource(PullRequests github, Store store, PolicySource policy) {
        this.github = Objects.requireNonNull(github, "github == null");
        this.store = Objects.requireNonNull(store, "store == null");
        this.policy = Objects.requireNonNull(policy, "policy == null");
    }

    @java.lang.Override
    public PullRequestSnapshot snapshot(String repo, int number, Set<String> extraLogins,
            Instant now) throws FactsUnavailableException {
        Objects.requireNonNull(extraLogins, "extraLogins == null");
        try {
            PullRequestFacts facts = github.facts(repo, number);
            String head = facts.pullRequest().headSha();
            StoredPart stored = storedPart(repo, number, head, now);
            // Whoever gave an override needs their teams too: the engine checks their role.
            Set<String> logins = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
            logins.addAll(extraLogins);
            stored.overrides().forEach(o -> logins.add(o.user()));
            Optional<List<OwnedFile>> owned = usesCodeOwners(policy.current())
                    ? Optional.of(ownedFiles(facts)) : Optional.empty();
            Map<String, Set<String>> teams = teams(facts, logins, ownerTeams(owned));
            Optional<String> tree = headTree(repo, head);
            return new PullRequestSnapshot(facts.pullRequest(), facts.reviews(), teams,
                    stored.current(), stored.overrides(), stored.locks(), stored.replaced(),
                    stored.freezes(), tree, stored.applies(), owned);
        } catch (GitHubException e) {
            throw new FactsUnavailableException("facts of " + repo + "#" + number
                    + " could not be gathered from GitHub: " + e.getMessage(), e);
        } catch (StoreException e) {
            throw new FactsUnavailableException("facts of " + repo + "#" + number
                    + " could not be read from the store: " + e.getMessage(), e);
        }
    }

    /**
     * GitHub's part as the last review read it, the store's part (reports, overrides, locks,
     * freezes) now. The one case where
     * stored facts cannot do: an override given by someone whose teams were not read then
     * (the override command asked for a fresh review anyway); then everything is read afresh.
     */
    @java.lang.Override
    public PullRequestSnapshot snapshot(StoredFacts stored, Instant now)
            throws FactsUnavailableException {
        String repo = stored.pullRequest().repo();
        int number = stored.pullRequest().number();
        try {
            if (stored.headTree().isEmpty() && needsTree(policy.current())
                    || stored.ownedFiles().isEmpty() && usesCodeOwners(policy.current())) {
                // Read before promotion compared trees (or the policy changed): read afresh.
                return snapshot(repo, number, Set.of(), now);
            }
            StoredPart part = storedPart(repo, number, stored.pullRequest().headSha(), now);
            Set<String> known = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
            known.addAll(stored.teams().keySet());
            if (!part.overrides().stream().allMatch(o -> known.contains(o.user()))) {
                return snapshot(repo, number, Set.of(), now);
            }
            return new PullRequestSnapshot(stored.pullRequest(), stored.reviews(),
                    stored.teams(), part.current(), part.overrides(), part.locks(),
                    part.replaced(), part.freezes(), stored.headTree(), part.applies(),
                    stored.ownedFiles());
        } catch (StoreException e) {
            throw new FactsUnavailableException("facts of " + repo + "#" + number
                    + " could not be read from the store: " + e.getMessage(), e);
        }
    }

    private Map<String, Set<String>> teams(PullRequestFacts facts, Set<String> extraLogins,
            Set<String> ownerTeams) throws GitHubException {
        Set<String> teams = teamsNamedByRoles(policy.current());
        // CODEOWNERS teams no role names: their membership is asked for too, never assumed.
        teams.addAll(ownerTeams);
        Set<String> logins = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        logins.add(facts.pullRequest().author());
        facts.reviews().stream().map(Review::user).forEach(logins::add);
        extraLogins.stream().filter(l -> !l.isBlank()).forEach(logins::add);
        if (teams.isEmpty()) {
            // No role is granted through a team: every login is in none that matters.
            Map<String, Set<String>> none = new java.util.HashMap<>();
            logins.forEach(l -> none.put(l, Set.of()));
            return none;
        }
        return github.teams(logins, teams);
    }

    /** Every {@code org/slug} some role of the policy is granted through. */
    static Set<String> teamsNamedByRoles(PolicySet policy) {
        Set<String> out = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        for (PolicySet p : policy.governing()) {
            for (Role role : p.roles().values()) {
                out.addAll(role.teams());
            }
        }
        return out;
    }

    /** Some environment's apply approvals say {@code codeowners: true}. */
    static boolean usesCodeOwners(PolicySet policy) {
        return policy.environments().stream()
                .anyMatch(e -> e.apply().approvals().codeowners());
    }

    /**
     * The changed files and their owners in CODEOWNERS on the base branch (as GitHub reads it);
     * no CODEOWNERS file: no file has owners, as on GitHub.
     */
    private List<OwnedFile> ownedFiles(PullRequestFacts facts) throws GitHubException {
        String repo = facts.pullRequest().repo();
        String ref = facts.pullRequest().base();
        CodeOwnersFile file = github.codeOwners(repo, ref).map(CodeOwnersFile::parse)
                .orElse(CodeOwnersFile.NONE);
        return file.own(github.changedFiles(repo, facts.pullRequest().number()));
    }

    /** The {@code org/slug} of every team owner ({@code @org/slug}). */
    private static Set<String> ownerTeams(Optional<List<OwnedFile>> owned) {
        Set<String> out = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        owned.orElse(List.of()).forEach(f -> f.owners().stream()
                .filter(o -> o.startsWith("@") && o.indexOf('/') > 1)
                .forEach(o -> out.add(o.substring(1))));
        return out;
    }

    /** Some environment's promotion compares Git trees: the head's tree is read. */
    static boolean comparesTrees(PolicySet policy) {
        return policy.environments().stream().flatMap(e -> e.promotion().stream())
                .anyMatch(p -> p.same() == Promotion.Same.TREE);
    }

    /** Some enforced promotion compares Git trees: without the head's tree there is no verdict. */
    static boolean needsTree(PolicySet policy) {
        return policy.environments().stream().flatMap(e -> e.promotion().stream())
                .anyMatch(p -> p.same() == Promotion.Same.TREE && p.enforce());
    }

    /**
     * The head commit's tree when a promotion compares trees. A failure to read it fails the
     * snapshot only when an enforced promotion needs it; a promotion rolled out with
     * {@code enforce: false} then reports "would deny" on an unknown tree instead of every
     * decision of the server being denied for it.
     */
    private Optional<String> headTree(String repo, String head) throws GitHubException {
        if (!comparesTrees(policy.current())) {
            return Optional.empty();
        }
        try {
            return Optional.of(github.commitTree(repo, head));
        } catch (GitHubException e) {
            if (needsTree(policy.current())) {
                throw e;
            }
            return Optional.empty();
        }
    }

    /**
     * The successful applies Tidegate recorded for this repository (all it keeps,
     * {@link Retention#DEPLOYMENTS}): which of them count is the engine's question.
     */
    private List<PriorApply> applies(String repo, Instant now) {
        if (policy.current().environments().stream()
                .allMatch(e -> e.promotion().isEmpty())) {
            return List.of();
        }
        List<PriorApply> out = new ArrayList<>();
        for (Deployment d : store.deployments().startedSince(Optional.empty(),
                now.minus(Retention.DEPLOYMENTS))) {
            if (d.repo().equals(repo) && d.result() == DeploymentStatus.SUCCEEDED) {
                out.add(new PriorApply(d.environment(), d.repo(), d.pr(), d.commitSha(),
                        d.treeSha(), d.finishedAt().orElseThrow()));
            }
        }
        return out;
    }

    private static List<ProjectReport> reports(List<CostReport> reports) {
        List<ProjectReport> out = new ArrayList<>();
        for (CostReport r : reports) {
            // When it was recorded: an approval given before it may be for a smaller cost.
            out.add(new ProjectReport(r.project(), r.headSha(), Optional.of(r.cost()),
                    Optional.of(r.plan()), Optional.of(r.recordedAt())));
        }
        return out;
    }

    /** The head commit's reports a re-plan replaced, oldest first. */
    private List<CostReport> replaced(String repo, int number, String head,
            List<CostReport> current) {
        return store.costReports().historyForCommit(repo, number, head).stream()
                .filter(r -> !current.contains(r)).toList();
    }

    /** A snapshot's part from the store. */
    private record StoredPart(List<Override> overrides, List<ProjectReport> current,
            List<ProjectReport> replaced, List<Lock> locks, List<Freeze> freezes,
            List<PriorApply> applies) {}

    /**
     * Everything a snapshot reads from the store, read together ({@link Store#readTogether}):
     * after the GitHub calls that come before it, never around one.
     */
    private StoredPart storedPart(String repo, int number, String head, Instant now) {
        return store.readTogether(() -> {
            List<CostReport> current = store.costReports().forCommit(repo, number, head);
            return new StoredPart(overrides(repo, number), reports(current),
                    reports(replaced(repo, number, head, current)), locks(now),
                    store.freezes().active(now), applies(repo, now));
        });
    }

    private List<Override> overrides(String repo, int number) {
        // All of them: whether one applies (commit, role, expiry) is the engine's question.
        return store.overrides().forPullRequest(repo, number).stream()
                .map(OverrideRecord::override).toList();
    }

    private List<Lock> locks(Instant now) {
        return store.locks().held(now).stream().map(HeldLock::toDecisionLock).toList();
    }
}
