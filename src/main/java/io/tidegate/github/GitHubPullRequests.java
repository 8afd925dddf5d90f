package io.tidegate.github;

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

/**
 * {@link PullRequests} over GitHub's REST API ({@link GitHubApi}). Per {@link #facts} call: the PR
 * ({@code GET /repos/{o}/{r}/pulls/{n}}) and each page of reviews
 * ({@code GET /repos/{o}/{r}/pulls/{n}/reviews}), conditional once read: when nothing changed
 * they are answered 304 and the reading kept in memory is used ({@link Revalidated}), so an
 * unchanged PR costs two round trips, no rate limit and no parsing.
 *
 * <p>Team membership is asked per team and login ({@code GET
 * /orgs/{org}/teams/{slug}/memberships/{login}}: 200 with {@code state: active} is a member;
 * {@code pending} (invited, not accepted) and 404 are not), and each answer is cached for
 * {@link GitHubSettings#membershipTtl()} or until {@link #invalidate}. Thread-safe.
 */
public final class GitHubPullRequests implements PullRequests {
    /** GitHub logins: letters, digits, single hyphens; apps end in {@code [bot]}. */
    private static final Pattern LOGIN = Pattern.compile("[A-Za-z0-9-]+(\\[bot])?");
    private static final Pattern SHA = Pattern.compile("[0-9a-fA-F]{4,64}");
    private static final Pattern TEAM = Pattern.compile("[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+");

    /**
     * PRs (and as many review pages) kept: far more than are gated at once, and at most some
     * 32 MB even if every body had GitHub's maximum of 65,536 characters.
     */
    private static final int KEPT = 256;

    private record Membership(boolean member, Instant expiresAt) {}

    private final GitHubApi api;
    private final Clock clock;
    /** Key: {@code org/slug login}, lowercased. */
    private final Map<String, Membership> memberships = new ConcurrentHashMap<>();

    /** PRs and review pages kept between reads, with their ETags (see {@link Revalidated}). */
    private final Revalidated<PullRequestPart> pullRequests;
    private final Revalidated<ReviewPage> reviewPages;
    /** Commit ({@code repo@sha}) to its Git tree: immutable, so kept without asking again. */
    private final Map<String, String> trees = java.util.Collections.synchronizedMap(
            new java.util.LinkedHashMap<>(16, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
                    return size() > KEPT;
                }
            });
    private final Revalidated<String> commits;
    private final Revalidated<String> contents;
    private final Revalidated<FilePage> filePages;
    /** GitHub lists at most this many files of a pull request. */
    static final int MAX_FILES = 3000;

    public GitHubPullRequests(GitHubApi api, Clock clock) {
        this.api = Objects.requireNonNull(api, "api == null");
        this.clock = Objects.requireNonNull(clock, "clock == null");
        this.pullRequests = new Revalidated<>(api.json(), KEPT);
        this.reviewPages = new Revalidated<>(api.json(), KEPT);
        this.commits = new Revalidated<>(api.json(), KEPT);
        this.contents = new Revalidated<>(api.json(), KEPT);
        this.filePages = new Revalidated<>(api.json(), KEPT);
    }

    /**
     * CODEOWNERS at {@code ref}: the first of {@link CodeOwnersFile#LOCATIONS} there, in GitHub's
     * order, through the contents API ({@code GET /repos/{repo}/contents/{path}?ref=}; shape:
     * rest-api-description schema {@code content-file}: {@code encoding: base64},
     * {@code content}), each kept with its ETag. Empty when none of them exists.
     */
    @Override
    public Optional<String> codeOwners(String repo, String ref) throws GitHubException {
        GitHubApi.requireRepo(repo);
        String authorization = api.authorizationForRepo(repo);
        for (String path : CodeOwnersFile.LOCATIONS) {
            String what = "read " + path + " of " + repo + " at " + ref;
            HttpUrl url = api.json().url("/repos/" + repo + "/contents/" + path).newBuilder()
                    .addQueryParameter("ref", ref).build();
            Optional<String> text = contents.get(url, authorization, what,
                    (body, response) -> fileText(body, what));
            if (text.isPresent()) {
                return text;
            }
        }
        return Optional.empty();
    }

    private static String fileText(JsonNode body, String what) throws GitHubException {
        if (!body.isObject() || !"file".equals(body.path("type").asText())
                || !"base64".equals(body.path("encoding").asText())) {
            throw bad(what, "GitHub's answer is not a base64-encoded file");
        }
        try {
            return new String(java.util.Base64.getMimeDecoder().decode(
                    body.path("content").asText()), java.nio.charset.StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw bad(what, "the file's content is not base64");
        }
    }

    /** One page of changed files and the link to the next. */
    private record FilePage(List<String> files, Optional<HttpUrl> next) {}

    /**
     * The PR's changed files ({@code GET /repos/{repo}/pulls/{n}/files}, every page; shape:
     * rest-api-description schema {@code diff-entry}: {@code filename}, and {@code
     * previous_filename} on a rename, whose old path is changed too). GitHub lists at most
     * {@value #MAX_FILES}: at that many the list may be cut short, so it is refused.
     */
    @Override
    public List<String> changedFiles(String repo, int number) throws GitHubException {
        GitHubApi.requireRepo(repo);
        String what = "read the changed files of " + repo + "#" + number;
        HttpUrl next = api.json().url("/repos/" + repo + "/pulls/" + number + "/files")
                .newBuilder().addQueryParameter("per_page", "100").build();
        String authorization = api.authorizationForRepo(repo);
        List<String> files = new ArrayList<>();
        for (int pages = 0; next != null; pages++) {
            if (pages == JsonCalls.MAX_PAGES) {
                throw bad(what, "more than " + JsonCalls.MAX_PAGES + " pages");
            }
            HttpUrl url = next;
            FilePage page = filePages.get(url, authorization, what,
                    (body, response) -> filePage(body, response, what)).orElseThrow(
                    () -> new GitHubException(what, GitHubException.Failure.NOT_FOUND,
                            "HTTP 404 for " + url.encodedPath(), null));
            files.addAll(page.files());
            next = page.next().orElse(null);
        }
        if (files.size() >= MAX_FILES) {
            throw new GitHubException(what, GitHubException.Failure.FORBIDDEN, "the pull request"
                    + " changes " + MAX_FILES + " files or more, more than GitHub lists: its"
                    + " code owners cannot all be known", null);
        }
        return files;
    }

    private FilePage filePage(JsonNode page, okhttp3.Response response, String what)
            throws GitHubException {
        if (!page.isArray()) {
            throw bad(what, "the files page is not a JSON array");
        }
        List<String> files = new ArrayList<>();
        for (JsonNode f : page) {
            files.add(JsonCalls.text(f, "filename", what));
            JsonNode previous = f.get("previous_filename");
            if (previous != null && previous.isTextual()) {
                files.add(previous.textValue());
            }
        }
        return new FilePage(files, Optional.ofNullable(
                api.json().nextPage(response.header("Link"), what)));
    }

    /**
     * {@code GET /repos/{repo}/git/commits/{sha}}, its {@code tree.sha} (shape: GitHub's
     * rest-api-description, schema {@code git-commit}: {@code tree: {sha, url}}). One request
     * the first time a commit is asked about, none after: a commit's tree never changes.
     */
    @Override
    public String commitTree(String repo, String sha) throws GitHubException {
        GitHubApi.requireRepo(repo);
        if (!SHA.matcher(sha).matches()) {
            // Only hex goes into the URL; the SHA came from GitHub or Atlantis, so it is a fact.
            throw new GitHubException("read the tree of a commit of " + repo,
                    GitHubException.Failure.NOT_FOUND, "not a commit SHA", null);
        }
        String key = repo.toLowerCase(Locale.ROOT) + "@" + sha;
        String known = trees.get(key);
        if (known != null) {
            return known;
        }
        String what = "read commit " + sha + " of " + repo;
        String tree = commits.get(api.json().url("/repos/" + repo + "/git/commits/" + sha),
                api.authorizationForRepo(repo), what, (body, response) -> {
                    String t = text(object(body, "tree", what), "tree.sha", "sha", what);
                    if (!SHA.matcher(t).matches()) {
                        throw bad(what, "GitHub's answer has no tree SHA");
                    }
                    return t;
                }).orElseThrow(() -> new GitHubException(what,
                        GitHubException.Failure.NOT_FOUND, "HTTP 404", null));
        trees.put(key, tree);
        return tree;
    }

    @Override
    public PullRequestFacts facts(String repo, int number) throws GitHubException {
        GitHubApi.requireRepo(repo);
        if (number < 1) {
            throw new IllegalArgumentException("number must be positive, got " + number);
        }
        String what = "read pull request " + repo + "#" + number;
        PullRequestPart pr = pullRequests.get(api.json().url("/repos/" + repo + "/pulls/"
                + number), api.authorizationForRepo(repo), what,
                (body, response) -> pullRequest(repo, number, body, what))
                .orElseThrow(() -> new GitHubException(what, GitHubException.Failure.NOT_FOUND,
                        "HTTP 404", null));
        return new PullRequestFacts(pr.pullRequest(), pr.headRef(), pr.fork(), pr.open(),
                reviews(repo, number));
    }

    /** A PR as GitHub answers it; anything missing is a bad answer, never a default. */
    private static PullRequestPart pullRequest(String repo, int number, JsonNode pr,
            String what) throws GitHubException {
        JsonNode head = object(pr, "head", what);
        JsonNode base = object(pr, "base", what);
        JsonNode user = object(pr, "user", what);
        PullRequest facts = new PullRequest(repo, number, text(base, "base.ref", "ref", what),
                text(head, "head.sha", "sha", what), text(user, "user.login", "login", what),
                pr.path("draft").asBoolean(false), labels(pr), pr.path("body").asText(""),
                pr.path("title").asText(""));
        return new PullRequestPart(facts, text(head, "head.ref", "ref", what),
                isFork(head, base), pr.path("state").asText("").equals("open"));
    }

    /** What {@link #facts} keeps of a PR between reads: everything but the reviews. */
    private record PullRequestPart(PullRequest pullRequest, String headRef, boolean fork,
            boolean open) {}

    private static JsonNode object(JsonNode node, String field, String what)
            throws GitHubException {
        JsonNode v = node.get(field);
        if (v == null || !v.isObject()) {
            throw bad(what, "GitHub's answer has no " + field);
        }
        return v;
    }

    private static String text(JsonNode node, String name, String field, String what)
            throws GitHubException {
        JsonNode v = node.get(field);
        if (v == null || !v.isTextual() || v.textValue().isBlank()) {
            throw bad(what, "GitHub's answer has no " + name);
        }
        return v.textValue();
    }

    private static Set<String> labels(JsonNode pr) {
        Set<String> names = new LinkedHashSet<>();
        for (JsonNode label : pr.path("labels")) {
            JsonNode name = label.get("name");
            if (name != null && name.isTextual()) {
                names.add(name.textValue());
            }
        }
        return names;
    }

    /** The head lives in another repository, or in one that was deleted. */
    private static boolean isFork(JsonNode head, JsonNode base) {
        JsonNode headRepo = head.path("repo").path("full_name");
        JsonNode baseRepo = base.path("repo").path("full_name");
        if (!headRepo.isTextual() || !baseRepo.isTextual()) {
            return true;
        }
        return !headRepo.textValue().equals(baseRepo.textValue());
    }

    /** One page of reviews and the link to the next, as kept between reads. */
    private record ReviewPage(List<Review> reviews, Optional<HttpUrl> next) {}

    /** All reviews, every page, in GitHub's order (submission order). */
    private List<Review> reviews(String repo, int number) throws GitHubException {
        String what = "read reviews of " + repo + "#" + number;
        HttpUrl next = api.json().url("/repos/" + repo + "/pulls/" + number + "/reviews")
                .newBuilder()
                .addQueryParameter("per_page", Integer.toString(api.settings().pageSize()))
                .build();
        String authorization = api.authorizationForRepo(repo);
        List<Review> reviews = new ArrayList<>();
        for (int pages = 0; next != null; pages++) {
            if (pages == JsonCalls.MAX_PAGES) {
                throw bad(what, "more than " + JsonCalls.MAX_PAGES + " pages");
            }
            HttpUrl url = next;
            ReviewPage page = reviewPages.get(url, authorization, what,
                    (body, response) -> reviewPage(body, response, what)).orElseThrow(
                    () -> new GitHubException(what, GitHubException.Failure.NOT_FOUND,
                            "HTTP 404 for " + url.encodedPath(), null));
            reviews.addAll(page.reviews());
            next = page.next().orElse(null);
        }
        return reviews;
    }

    private ReviewPage reviewPage(JsonNode page, okhttp3.Response response, String what)
            throws GitHubException {
        if (!page.isArray()) {
            throw bad(what, "the reviews page is not a JSON array");
        }
        List<Review> reviews = new ArrayList<>();
        for (JsonNode review : page) {
            reviews.add(review(review, what));
        }
        return new ReviewPage(reviews, Optional.ofNullable(
                api.json().nextPage(response.header("Link"), what)));
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

    private static GitHubException bad(String what, String detail) {
        return new GitHubException(what, GitHubException.Failure.BAD_RESPONSE, detail, null);
    }
}
