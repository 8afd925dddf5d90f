package io.tidegate.github;

import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
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
import org.kohsuke.github.GHContent;
import org.kohsuke.github.GHRepository;

/**
 * {@link PullRequests} over GitHub's REST API ({@link GitHubApi}). Per {@link #facts} call: the PR
 * ({@code GET /repos/{o}/{r}/pulls/{n}}) and each page of reviews ({@code GET
 * /repos/{o}/{r}/pulls/{n}/reviews}); every one is conditional ({@link ConditionalRequests}), so
 * an unchanged PR costs two round trips answered 304, free of rate limit, and no parsing: each
 * answer is decoded once ({@link JsonCalls}).
 *
 * <p>Read without hub4j ({@link JsonCalls}, same client, same errors), each for a measured
 * reason given where it is read: the PR, reviews, changed files, team memberships, a commit's
 * tree. Code owners' files go through hub4j.
 *
 * <p>Team membership is asked per team and login ({@code GET
 * /orgs/{org}/teams/{slug}/memberships/{login}}: 200 with {@code state: active} is a member;
 * {@code pending} (invited, not accepted) and 404 are not), and each answer is cached for
 * {@link GitHubSettings#membershipTtl()} or until {@link #invalidate}. Thread-safe.
 */
public final class GitHubPullRequests implements PullRequests {
    private static final Pattern SHA = Pattern.compile("[0-9a-fA-F]{4,64}");

    /** Commit trees kept: far more than are compared at once. */
    private static final int KEPT = 256;

    private record Membership(boolean member, Instant expiresAt) {}

    private final GitHubApi api;
    private final Clock clock;
    /** Key: {@code org/slug login}, lowercased. */
    private final Map<String, Membership> memberships = new ConcurrentHashMap<>();

    /** Commit ({@code repo@sha}) to its Git tree: immutable, so kept without asking again. */
    private final Map<String, String> trees = java.util.Collections.synchronizedMap(
            new java.util.LinkedHashMap<>(16, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
                    return size() > KEPT;
                }
            });
    /** Commits whose tree is being read now, so a second asker waits instead of asking. */
    private final Map<String, Object> treeReads = new ConcurrentHashMap<>();
    /** GitHub lists at most this many files of a pull request. */
    static final int MAX_FILES = 3000;

    public GitHubPullRequests(GitHubApi api, Clock clock) {
        this.api = Objects.requireNonNull(api, "api == null");
        this.clock = Objects.requireNonNull(clock, "clock == null");
    }

    /**
     * CODEOWNERS at {@code ref}: the first of {@link CodeOwnersFile#LOCATIONS} there, in GitHub's
     * order, through hub4j's {@code GHRepository#getFileContent(path, ref)} ({@code GET
     * /repos/{repo}/contents/{path}?ref=}; shape: rest-api-description schema
     * {@code content-file}: {@code type: file}, {@code encoding: base64}, {@code content}).
     * Empty when none of them exists.
     */
    @Override
    public Optional<String> codeOwners(String repo, String ref) throws GitHubException {
        GitHubApi.requireRepo(repo);
        GHRepository r = api.repository(repo);
        for (String path : CodeOwnersFile.LOCATIONS) {
            String what = "read " + path + " of " + repo + " at " + ref;
            GHContent content;
            try {
                content = api.call(what, () -> r.getFileContent(path, ref));
            } catch (GitHubException e) {
                if (e.failure() == GitHubException.Failure.NOT_FOUND) {
                    continue;
                }
                throw e;
            }
            return Optional.of(fileText(content, what));
        }
        return Optional.empty();
    }

    private String fileText(GHContent content, String what) throws GitHubException {
        if (!content.isFile() || !"base64".equals(content.getEncoding())) {
            throw bad(what, "GitHub's answer is not a base64-encoded file");
        }
        byte[] bytes;
        try {
            // hub4j decodes the base64; the text is UTF-8, not the platform charset its
            // getContent() would use (GHContent.java, 1.330)
            bytes = api.call(what, () -> {
                try (java.io.InputStream in = content.read()) {
                    return in.readAllBytes();
                }
            });
        } catch (IllegalArgumentException | AssertionError e) {
            throw bad(what, "the file's content is not base64");
        }
        return new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
    }

    /**
     * The PR's changed files ({@code GET /repos/{repo}/pulls/{n}/files}, every page; shape:
     * rest-api-description schema {@code diff-entry}: {@code filename}, and {@code
     * previous_filename} on a rename, whose old path is changed too). GitHub lists at most
     * {@value #MAX_FILES}: at that many the list may be cut short, so it is refused.
     *
     * <p>Not through hub4j: its {@code GHPullRequest#listFiles()} hangs off a PR object, which
     * costs {@code GET /pulls/{n}} first, one more request per decision with code owners.
     */
    @Override
    public List<String> changedFiles(String repo, int number) throws GitHubException {
        GitHubApi.requireRepo(repo);
        String what = "read the changed files of " + repo + "#" + number;
        HttpUrl first = api.json().url("/repos/" + repo + "/pulls/" + number + "/files")
                .newBuilder().addQueryParameter("per_page", "100").build();
        List<String> files = new ArrayList<>();
        for (JsonNode page : api.json().pages(first, api.authorizationForRepo(repo), what)) {
            if (!page.isArray()) {
                throw bad(what, "the files page is not a JSON array");
            }
            for (JsonNode f : page) {
                files.add(JsonCalls.text(f, "filename", what));
                JsonNode previous = f.get("previous_filename");
                if (previous != null && previous.isTextual()) {
                    files.add(previous.textValue());
                }
            }
        }
        if (files.size() >= MAX_FILES) {
            throw new GitHubException(what, GitHubException.Failure.FORBIDDEN, "the pull request"
                    + " changes " + MAX_FILES + " files or more, more than GitHub lists: its"
                    + " code owners cannot all be known", null);
        }
        return files;
    }

    /**
     * {@code GET /repos/{repo}/git/commits/{sha}}, its {@code tree.sha} (shape: GitHub's
     * rest-api-description, schema {@code git-commit}: {@code tree: {sha, url}}). One request
     * the first time a commit is asked about, none after: a commit's tree never changes.
     *
     * <p>Not through hub4j: 1.330 reads a commit only as {@code GET /repos/{repo}/commits/{sha}}
     * ({@code GHRepository#getCommit}), which carries the whole diff (up to 300 files with
     * patches) where this needs one SHA.
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
        // One read per commit even when a gate and a review ask at once: the second waits for
        // the first's answer instead of asking GitHub again.
        Object lock = treeReads.computeIfAbsent(key, k -> new Object());
        try {
            synchronized (lock) {
                known = trees.get(key);
                return known != null ? known : readTree(repo, sha, key);
            }
        } finally {
            treeReads.remove(key, lock);
        }
    }

    private String readTree(String repo, String sha, String key) throws GitHubException {
        String what = "read commit " + sha + " of " + repo;
        JsonNode body = api.json().get("/repos/" + repo + "/git/commits/" + sha,
                api.authorizationForRepo(repo), what).orElseThrow(() -> new GitHubException(
                        what, GitHubException.Failure.NOT_FOUND, "HTTP 404", null));
        String tree = text(object(body, "tree", what), "tree.sha", "sha", what);
        if (!SHA.matcher(tree).matches()) {
            throw bad(what, "GitHub's answer has no tree SHA");
        }
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
        PullRequestJson pr = api.json().get("/repos/" + repo + "/pulls/" + number,
                        api.authorizationForRepo(repo), what, PULL_REQUEST)
                .orElseThrow(() -> new GitHubException(what, GitHubException.Failure.NOT_FOUND,
                        "HTTP 404", null));
        return new PullRequestFacts(pr.pullRequest(repo, number), pr.headRef(), pr.fork(),
                pr.open(), reviews(repo, number));
    }

    /**
     * The single-PR answer, as far as a decision reads it. Shape: rest-api-description schema
     * {@code pull-request} (required: {@code user}, {@code head} and {@code base} with
     * {@code ref}, {@code sha} and {@code repo}, which is null for a deleted head repository;
     * {@code state} {@code open} or {@code closed}; {@code draft}, {@code body} and
     * {@code labels[].name} as GitHub may leave them out or null).
     *
     * <p>Read without hub4j: its {@code GHPullRequest} hangs off a {@code GHRepository} (one more
     * request per repository and process), and it parses the kept body again after every 304,
     * which {@link JsonCalls}' decoded answers avoid.
     */
    private record PullRequestJson(String baseRef, String headSha, String headRef,
            String author, boolean draft, Set<String> labels, String body, String title,
            boolean fork, boolean open) {
        PullRequest pullRequest(String repo, int number) {
            return new PullRequest(repo, number, baseRef, headSha, author, draft, labels, body,
                    title);
        }
    }

    private static final JsonCalls.Decoder<PullRequestJson> PULL_REQUEST =
            GitHubPullRequests::pullRequestJson;

    private static PullRequestJson pullRequestJson(JsonNode pr, String what)
            throws GitHubException {
        if (!pr.isObject()) {
            throw bad(what, "GitHub's answer is not a JSON object");
        }
        JsonNode head = object(pr, "head", what);
        JsonNode base = object(pr, "base", what);
        JsonNode user = object(pr, "user", what);
        String author = text(user, "user.login", "login", what);
        return new PullRequestJson(text(base, "base.ref", "ref", what),
                text(head, "head.sha", "sha", what), text(head, "head.ref", "ref", what), author,
                draft(pr, what), labels(pr, what), optionalText(pr, "body", what),
                optionalText(pr, "title", what), isFork(head, base),
                "open".equalsIgnoreCase(pr.path("state").asText("")));
    }

    /** Missing or null is not a draft (GitHub leaves it out where drafts do not exist). */
    private static boolean draft(JsonNode pr, String what) throws GitHubException {
        JsonNode v = pr.get("draft");
        if (v == null || v.isNull()) {
            return false;
        }
        if (!v.isBoolean()) {
            throw bad(what, "GitHub's answer has a draft that is not true or false");
        }
        return v.booleanValue();
    }

    private static Set<String> labels(JsonNode pr, String what) throws GitHubException {
        JsonNode v = pr.get("labels");
        Set<String> labels = new LinkedHashSet<>();
        if (v == null || v.isNull()) {
            return labels;
        }
        if (!v.isArray()) {
            throw bad(what, "GitHub's answer has labels that are not a list");
        }
        for (JsonNode label : v) {
            JsonNode name = label.get("name");
            if (name != null && name.isTextual()) {
                labels.add(name.textValue());
            }
        }
        // kept with the answer and read by every decision on it: nobody may change it
        return java.util.Collections.unmodifiableSet(labels);
    }

    /** A string GitHub may leave out or null (a PR's body): then empty. */
    private static String optionalText(JsonNode node, String field, String what)
            throws GitHubException {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return "";
        }
        if (!v.isTextual()) {
            throw bad(what, "GitHub's answer has a " + field + " that is not a string");
        }
        return v.textValue();
    }

    /**
     * The head lives in another repository, or in one that was deleted ({@code head.repo} is
     * null then).
     */
    private static boolean isFork(JsonNode head, JsonNode base) {
        String headRepo = head.path("repo").path("full_name").asText("");
        String baseRepo = base.path("repo").path("full_name").asText("");
        return headRepo.isEmpty() || baseRepo.isEmpty() || !headRepo.equals(baseRepo);
    }

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

    /**
     * All reviews, every page, in GitHub's order (submission order).
     *
     * <p>Not through hub4j: in 1.330 a review's author is only reachable as
     * {@code GHPullRequestReview#getUser()}, which reads {@code GET /users/{login}} for each
     * reviewer not seen before by that client (the login is in the review's own JSON). On
     * {@code ApiCallBudgetTest}'s PR that is 2 more requests cold (14 → 16), each inside the
     * gate's GitHub time budget on a PR's first decision.
     */
    private List<Review> reviews(String repo, int number) throws GitHubException {
        String what = "read reviews of " + repo + "#" + number;
        HttpUrl first = api.json().url("/repos/" + repo + "/pulls/" + number + "/reviews")
                .newBuilder()
                .addQueryParameter("per_page", Integer.toString(api.settings().pageSize()))
                .build();
        List<Review> reviews = new ArrayList<>();
        for (List<Review> page : api.json().pages(first, api.authorizationForRepo(repo), what,
                REVIEWS_PAGE)) {
            reviews.addAll(page);
        }
        return reviews;
    }

    /** One page of reviews, decoded once per answer ({@link JsonCalls}). */
    private static final JsonCalls.Decoder<List<Review>> REVIEWS_PAGE =
            GitHubPullRequests::reviewsPage;

    private static List<Review> reviewsPage(JsonNode page, String what) throws GitHubException {
        if (!page.isArray()) {
            throw bad(what, "the reviews page is not a JSON array");
        }
        List<Review> reviews = new ArrayList<>(page.size());
        for (JsonNode review : page) {
            reviews.add(review(review, what));
        }
        return List.copyOf(reviews);
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
            return Optional.of(instant(at.asText()));
        } catch (DateTimeException e) {
            throw bad(what, "submitted_at '" + at.asText() + "' is not an ISO-8601 time");
        }
    }

    /**
     * GitHub writes {@code 2026-11-22T10:00:00Z}: read by hand (the gate reads every review's
     * time on every call, and {@code DateTimeFormatter} was a thirtieth of its CPU, JFR, issue
     * 19); any other ISO-8601 form goes to {@code OffsetDateTime}.
     */
    static Instant instant(String text) {
        if (text.length() == 20 && text.charAt(4) == '-' && text.charAt(7) == '-'
                && text.charAt(10) == 'T' && text.charAt(13) == ':' && text.charAt(16) == ':'
                && text.charAt(19) == 'Z') {
            int[] at = {0, 5, 8, 11, 14, 17};
            int[] v = new int[6];
            for (int i = 0; i < 6; i++) {
                int n = digits(text, at[i], i == 0 ? 4 : 2);
                if (n < 0) {
                    return OffsetDateTime.parse(text).toInstant();
                }
                v[i] = n;
            }
            return LocalDateTime.of(v[0], v[1], v[2], v[3], v[4], v[5])
                    .toInstant(ZoneOffset.UTC);
        }
        return OffsetDateTime.parse(text).toInstant();
    }

    /** The number of {@code count} ASCII digits at {@code from}, or -1. */
    private static int digits(String text, int from, int count) {
        int n = 0;
        for (int i = from; i < from + count; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            n = n * 10 + (c - '0');
        }
        return n;
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

    /*
     * The two checks below are written out rather than regular expressions: each membership
     * check ran both, and their matchers were a twentieth of a gate decision's allocation
     * (issue 19, fifteenth pass). LoginAndTeamCheckTest holds them to the expressions.
     */

    /** A GitHub login, {@code [A-Za-z0-9-]+(\[bot])?}: apps end in {@code [bot]}. */
    static boolean isLogin(String login) {
        int end = login.endsWith("[bot]") ? login.length() - "[bot]".length() : login.length();
        return end > 0 && allOf(login, 0, end, "-");
    }

    /** An {@code org/slug} team, {@code [A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+}. */
    static boolean isTeam(String team) {
        int slash = team.indexOf('/');
        return slash > 0 && slash < team.length() - 1 && allOf(team, 0, slash, "_.-")
                && allOf(team, slash + 1, team.length(), "_.-");
    }

    /** Whether every char of {@code s} in [from, to) is an ASCII letter, digit or in extra. */
    private static boolean allOf(String s, int from, int to, String extra) {
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            boolean alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
                    || (c >= '0' && c <= '9');
            if (!alnum && extra.indexOf(c) < 0) {
                return false;
            }
        }
        return true;
    }

    private boolean isActiveMember(String team, String login) throws GitHubException {
        if (!isTeam(team)) {
            throw new IllegalArgumentException("team must be org/slug, got '" + team + "'");
        }
        // Logins GitHub cannot have (a typo, an Atlantis placeholder) are in no team.
        if (!isLogin(login)) {
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
