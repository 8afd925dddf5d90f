package io.tidegate.review;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tidegate.decision.Assessment;
import io.tidegate.decision.Reason;
import io.tidegate.decision.ReasonCode;
import io.tidegate.policy.PolicySet;
import io.tidegate.policy.Role;
import io.tidegate.store.ReviewBoardStore;

/**
 * Keeps the store's review board: after each review of a PR, its verdict per environment, what
 * is missing and who can unblock it ({@link WaitingPullRequest}); when the PR closes, nothing.
 * A verdict unchanged on the same head commit keeps its {@code since}, so the dashboard can say
 * how long a PR has waited. Safe for concurrent use (one review of a PR at a time upstream).
 */
public final class ReviewBoard {
    private final ReviewBoardStore store;
    private final ObjectMapper json;

    public ReviewBoard(ReviewBoardStore store, ObjectMapper json) {
        this.store = Objects.requireNonNull(store, "store == null");
        this.json = Objects.requireNonNull(json, "json == null");
    }

    /** The JSON the board is kept in: ISO-8601 times, unknown fields tolerated. */
    public static ObjectMapper mapper() {
        return new ObjectMapper()
                .registerModule(new com.fasterxml.jackson.datatype.jsr310.JavaTimeModule())
                .disable(com.fasterxml.jackson.databind.SerializationFeature
                        .WRITE_DATES_AS_TIMESTAMPS)
                .disable(com.fasterxml.jackson.databind.DeserializationFeature
                        .FAIL_ON_UNKNOWN_PROPERTIES);
    }

    /** Records the review just made of {@code snapshot}'s PR. */
    public void record(PolicySet policy, PullRequestSnapshot snapshot, ReviewSummary summary,
            String url, Instant now) {
        Optional<WaitingPullRequest> before = read(summary.repo(), summary.number());
        List<WaitingPullRequest.EnvironmentWait> envs = new ArrayList<>();
        for (EnvironmentReview e : summary.environments()) {
            envs.add(wait(policy, snapshot, e, since(before, summary.headSha(), e, now)));
        }
        WaitingPullRequest w = new WaitingPullRequest(summary.repo(), summary.number(),
                snapshot.pullRequest().title(), snapshot.pullRequest().author(), url,
                summary.headSha(), now, envs);
        store.put(new ReviewBoardStore.Entry(w.repo(), w.number(), now, write(w)));
    }

    /** The PR was closed or merged: it waits for nothing any more. */
    public void forget(String repo, int number) {
        store.remove(repo, number);
    }

    /** The stored review of a PR, if any (an unreadable entry reads as none). */
    public Optional<WaitingPullRequest> read(String repo, int number) {
        return store.get(repo, number).flatMap(e -> parse(e.json()));
    }

    /** Every open PR's last review, most recent first; unreadable entries are skipped. */
    public List<WaitingPullRequest> all() {
        List<WaitingPullRequest> out = new ArrayList<>();
        for (ReviewBoardStore.Entry e : store.all()) {
            parse(e.json()).ifPresent(out::add);
        }
        return out;
    }

    private static Instant since(Optional<WaitingPullRequest> before, String head,
            EnvironmentReview e, Instant now) {
        return before.filter(b -> b.headSha().equals(head))
                .flatMap(b -> b.environments().stream()
                        .filter(x -> x.environment().equals(e.name())
                                && x.verdict().equals(e.verdict().name()))
                        .findFirst())
                .map(WaitingPullRequest.EnvironmentWait::since).orElse(now);
    }

    private static WaitingPullRequest.EnvironmentWait wait(PolicySet policy,
            PullRequestSnapshot s, EnvironmentReview e, Instant since) {
        Assessment a = e.assessment();
        List<WaitingPullRequest.Missing> missing = e.blocking().stream()
                .map(r -> new WaitingPullRequest.Missing(r.key(), r.message(),
                        r.remedy().orElse(""))).toList();
        List<WaitingPullRequest.OverrideNote> override = a.override().stream()
                .map(o -> new WaitingPullRequest.OverrideNote(o.user(), o.reason(), o.expires()))
                .toList();
        return new WaitingPullRequest.EnvironmentWait(e.name(), e.verdict().name(), since,
                a.approvals().counted(), a.approvals().needed(), a.approvals().approvers(),
                missing, unblockers(policy, s, e), override, a.lockHolder().orElse(""));
    }

    /** Per blocking reason a person can clear, the roles that can clear it. */
    static List<WaitingPullRequest.Unblocker> unblockers(PolicySet policy, PullRequestSnapshot s,
            EnvironmentReview e) {
        Map<String, String> roles = new LinkedHashMap<>();
        Assessment.ApprovalStatus approvals = e.assessment().approvals();
        for (Reason r : e.blocking()) {
            if (r.code() == ReasonCode.APPROVALS_MISSING) {
                approvals.from().forEach(role -> roles.putIfAbsent(role, "approval"));
                approvals.mustInclude().forEach(g -> g.forEach(
                        role -> roles.putIfAbsent(role, "approval")));
            } else if (r.code() == ReasonCode.WINDOW_CLOSED || r.code() == ReasonCode.FREEZE) {
                e.assessment().window().flatMap(w -> policy.window(w.name()))
                        .flatMap(w -> w.override()).ifPresent(o -> o.by().forEach(
                                role -> roles.putIfAbsent(role, "override")));
            }
        }
        List<WaitingPullRequest.Unblocker> out = new ArrayList<>();
        roles.forEach((role, why) -> out.add(new WaitingPullRequest.Unblocker(role, why,
                members(policy.roles().get(role), s))));
        return out;
    }

    /**
     * The role's listed users, and the logins Tidegate saw holding it through a team (the
     * author and reviewers); never the PR's author, who cannot approve their own PR.
     */
    private static List<String> members(Role role, PullRequestSnapshot s) {
        if (role == null) {
            return List.of();
        }
        Set<String> out = new LinkedHashSet<>(role.users());
        s.teams().forEach((login, teams) -> {
            if (role.isHeldBy(login, teams)) {
                out.add(login);
            }
        });
        out.removeIf(login -> login.equalsIgnoreCase(s.pullRequest().author()));
        return List.copyOf(out);
    }

    private String write(WaitingPullRequest w) {
        try {
            return json.writeValueAsString(w);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a review could not be written as JSON", e);
        }
    }

    private Optional<WaitingPullRequest> parse(String text) {
        try {
            return Optional.of(json.readValue(text, WaitingPullRequest.class));
        } catch (JsonProcessingException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
