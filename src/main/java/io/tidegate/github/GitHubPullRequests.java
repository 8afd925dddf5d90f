package io.tidegate.github;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import io.tidegate.decision.PullRequest;
import io.tidegate.decision.Review;
import okhttp3.HttpUrl;
import org.kohsuke.github.GHCommitPointer;
import org.kohsuke.github.GHIssueState;
import org.kohsuke.github.GHLabel;
import org.kohsuke.github.GHPullRequest;
import org.kohsuke.github.GHRepository;
import org.kohsuke.github.GHUser;

/**
 * {@link PullRequests} over GitHub's REST API ({@link GitHubApi}). Per {@link #facts} call, cold:
 * the repository once per process ({@code GET /repos/{o}/{r}}), the PR
 * ({@code GET /repos/{o}/{r}/pulls/{n}}) and each page of reviews
 * ({@code GET /repos/{o}/{r}/pulls/{n}/reviews}); warm, the same calls minus the repository,
 * answered 304 when nothing changed.
 *
 * <p>Team membership is asked per team and login ({@code GET
 * /orgs/{org}/teams/{slug}/memberships/{login}}: 200 with {@code state: active} is a member;
 * {@code pending} (invited, not accepted) and 404 are not), and each answer is cached for
 * {@link GitHubSettings#membershipTtl()} or until {@link #invalidate}. Thread-safe.
 */
public final class GitHubPullRequests implements PullRequests {
    /** GitHub logins: letters, digits, single hyphens; apps end in {@code [bot]}. */
    private static final Pattern LOGIN = Pattern.compile("[A-Za-z0-9-]+(\\[bot])?");
    private static final Pattern TEAM = Pattern.compile("[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+");

    private record Membership(boolean member, Instant expiresAt) {}

    private final GitHubApi api;
    private final Clock clock;
    /** Key: {@code org/slug login}, lowercased. */
    private final Map<String, Membership> memberships = new ConcurrentHashMap<>();

    public GitHubPullRequests(GitHubApi api, Clock clock) {
        this.api = Objects.requireNonNull(api, "api == null");
        this.clock = Objects.requireNonNull(clock, "clock == null");
    }

    @Override
    public PullRequestFacts facts(String repo, int number) throws GitHubException {
        GitHubApi.requireRepo(repo);
        if (number < 1) {
            throw new IllegalArgumentException("number must be positive, got " + number);
        }
        String what = "read pull request " + repo + "#" + number;
        GHRepository r = api.repository(repo);
        GHPullRequest pr = api.call(what, () -> r.getPullRequest(number));
        return api.call(what, () -> toFacts(repo, number, pr, what));
    }

    /** hub4j's PR as our record; anything missing is a bad answer, never a default. */
    private PullRequestFacts toFacts(String repo, int number, GHPullRequest pr, String what)
            throws IOException {
        GHCommitPointer head = required(pr.getHead(), "head", what);
        GHCommitPointer base = required(pr.getBase(), "base", what);
        GHUser author = required(pr.getUser(), "user", what);
        PullRequest facts = new PullRequest(repo, number,
                required(base.getRef(), "base.ref", what),
                required(head.getSha(), "head.sha", what),
                required(author.getLogin(), "user.login", what),
                pr.isDraft(), labels(pr), pr.getBody() == null ? "" : pr.getBody(),
                pr.getTitle() == null ? "" : pr.getTitle());
        return new PullRequestFacts(facts, required(head.getRef(), "head.ref", what),
                isFork(pr), pr.getState() == GHIssueState.OPEN, reviews(repo, number));
    }

    private static Set<String> labels(GHPullRequest pr) {
        Set<String> names = new LinkedHashSet<>();
        for (GHLabel label : pr.getLabels()) {
            if (label != null && label.getName() != null) {
                names.add(label.getName());
            }
        }
        return names;
    }

    /** The head lives in another repository, or in one that was deleted. */
    private static boolean isFork(GHPullRequest pr) {
        GHCommitPointer head = pr.getHead();
        GHCommitPointer base = pr.getBase();
        if (head.getRepository() == null || base.getRepository() == null) {
            return true;
        }
        return !head.getRepository().getFullName().equals(base.getRepository().getFullName());
    }

    /** All reviews, every page, in GitHub's order (submission order). */
    private List<Review> reviews(String repo, int number) throws GitHubException {
        String what = "read reviews of " + repo + "#" + number;
        HttpUrl first = api.json().url("/repos/" + repo + "/pulls/" + number + "/reviews")
                .newBuilder()
                .addQueryParameter("per_page", Integer.toString(api.settings().pageSize()))
                .build();
        List<Review> reviews = new ArrayList<>();
        for (JsonNode page : api.json().pages(first, api.authorizationForRepo(repo), what)) {
            if (!page.isArray()) {
                throw bad(what, "the reviews page is not a JSON array");
            }
            for (JsonNode review : page) {
                reviews.add(review(review, what));
            }
        }
        return reviews;
    }

    private static Review review(JsonNode review, String what) throws GitHubException {
        JsonNode user = review.get("user");
        // A deleted account shows as null; GitHub itself shows it as "ghost".
        String login = user == null || user.isNull() ? "ghost" : JsonCalls.text(user, "login",
                what);
        String state = JsonCalls.text(review, "state", what);
        Review.State parsed;
        try {
            parsed = Review.State.valueOf(state.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw bad(what, "unknown review state '" + state + "'");
        }
        JsonNode commit = review.get("commit_id");
        String sha = commit != null && commit.isTextual() ? commit.textValue() : "";
        return new Review(login, parsed, sha, submittedAt(review, what));
    }

    /**
     * GitHub's {@code submitted_at} (ISO-8601, {@code 2026-11-22T10:00:00Z}): absent or null on a
     * pending review; anything else that is not a time is a bad answer.
     */
    private static Optional<Instant> submittedAt(JsonNode review, String what)
            throws GitHubException {
        JsonNode at = review.get("submitted_at");
        if (at == null || at.isNull()) {
            return Optional.empty();
        }
        try {
            return Optional.of(OffsetDateTime.parse(at.asText()).toInstant());
        } catch (DateTimeParseException e) {
            throw bad(what, "submitted_at '" + at.asText() + "' is not an ISO-8601 time");
        }
    }

    @Override
    public Map<String, Set<String>> teams(Set<String> logins, Set<String> teams)
            throws GitHubException {
        Map<String, Set<String>> out = new LinkedHashMap<>();
        // Sorted, so calls and logs come in the same order every time.
        for (String login : new TreeSet<>(logins)) {
            Set<String> in = new LinkedHashSet<>();
            for (String team : new TreeSet<>(teams)) {
                if (isActiveMember(team, login)) {
                    in.add(team);
                }
            }
            out.put(login, Set.copyOf(in));
        }
        return out;
    }

    private boolean isActiveMember(String team, String login) throws GitHubException {
        if (!TEAM.matcher(team).matches()) {
            throw new IllegalArgumentException("team must be org/slug, got '" + team + "'");
        }
        // Logins GitHub cannot have (a typo, an Atlantis placeholder) are in no team.
        if (!LOGIN.matcher(login).matches()) {
            return false;
        }
        // Logins, organisations and slugs are case-insensitive on GitHub.
        String key = (team + " " + login).toLowerCase(Locale.ROOT);
        Membership cached = memberships.get(key);
        if (cached != null && clock.instant().isBefore(cached.expiresAt())) {
            return cached.member();
        }
        String org = team.substring(0, team.indexOf('/'));
        String slug = team.substring(team.indexOf('/') + 1);
        String what = "read membership of " + login + " in team " + team;
        boolean member = api.json()
                .get("/orgs/" + org + "/teams/" + slug + "/memberships/" + login,
                        api.authorizationForOrg(org), what)
                .map(m -> m.path("state").asText("").equals("active"))
                .orElse(false);
        memberships.put(key, new Membership(member, clock.instant().plus(ttl())));
        return member;
    }

    private Duration ttl() {
        return api.settings().membershipTtl();
    }

    @Override
    public void invalidate(WebhookEvent.MembershipChange change) {
        String teamPrefix = change.team().map(t -> t + " ").orElse(change.org() + "/")
                .toLowerCase(Locale.ROOT);
        String login = change.login().map(l -> l.toLowerCase(Locale.ROOT)).orElse(null);
        memberships.keySet().removeIf(key -> key.startsWith(teamPrefix)
                && (login == null || key.endsWith(" " + login)));
    }

    private static <T> T required(T value, String field, String what) throws GitHubException {
        if (value == null || (value instanceof String s && s.isBlank())) {
            throw bad(what, "GitHub's answer has no " + field);
        }
        return value;
    }

    private static GitHubException bad(String what, String detail) {
        return new GitHubException(what, GitHubException.Failure.BAD_RESPONSE, detail, null);
    }
}
