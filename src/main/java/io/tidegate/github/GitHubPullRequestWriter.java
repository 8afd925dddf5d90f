package io.tidegate.github;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import okhttp3.HttpUrl;
import org.kohsuke.github.GHCommitState;
import org.kohsuke.github.GHIssueComment;
import org.kohsuke.github.GHPullRequest;
import org.kohsuke.github.GHRepository;

/**
 * {@link PullRequestWriter} over GitHub's REST API ({@link GitHubApi}). Calls per method:
 *
 * <ul>
 *   <li>sticky comment: Tidegate's own login (once per process: {@code GET /user}, or
 *       {@code GET /app} for an App), the PR (usually a free 304) and each page of its issue
 *       comments, then
 *       nothing, one {@code PATCH /repos/{o}/{r}/issues/comments/{id}} or one
 *       {@code POST /repos/{o}/{r}/issues/{n}/comments};</li>
 *   <li>status: {@code GET /repos/{o}/{r}/commits/{sha}/status} (the combined status: latest per
 *       context), then nothing or one {@code POST /repos/{o}/{r}/statuses/{sha}};</li>
 *   <li>reply: the PR, then one {@code POST .../issues/{n}/comments}.</li>
 * </ul>
 *
 * Writes are never retried here (a retried POST could comment twice); the outbox repeats the
 * whole method, which re-reads first. Thread-safe.
 */
public final class GitHubPullRequestWriter implements PullRequestWriter {
    private static final Pattern SHA = Pattern.compile("[0-9a-f]{40}|[0-9a-f]{64}");
    private static final Pattern MARKER = Pattern.compile("<!--[^\\n]*?-->");

    private final GitHubApi api;

    public GitHubPullRequestWriter(GitHubApi api) {
        this.api = Objects.requireNonNull(api, "api == null");
    }

    @Override
    public CommentWrite upsertStickyComment(String repo, int number, String marker, String body)
            throws GitHubException {
        GitHubApi.requireRepo(repo);
        requireMarker(marker);
        String wanted = normalize(CommentLimit.fit(
                body.startsWith(marker) ? body : marker + "\n" + body));
        String key = repo + "#" + number;
        GHPullRequest pr = pullRequest(repo, number);
        List<GHIssueComment> comments = api.call("list comments of " + key,
                () -> pr.listComments().withPageSize(api.settings().pageSize()).toList());
        String self = api.ownLogin();
        // Only a comment Tidegate wrote is Tidegate's: anyone can post one starting with the
        // marker (and a forged "ready" table in it), and GitHub refuses us the edit anyway.
        Optional<GHIssueComment> ours = comments.stream()
                .filter(c -> self.equalsIgnoreCase(c.getUserName()))
                .filter(c -> c.getBody() != null && c.getBody().stripLeading().startsWith(marker))
                .findFirst();
        if (ours.isEmpty()) {
            GHIssueComment created = api.call("comment on " + key, () -> pr.comment(wanted));
            return new CommentWrite(Written.CREATED, url(created));
        }
        GHIssueComment comment = ours.get();
        if (normalize(comment.getBody()).equals(wanted)) {
            return new CommentWrite(Written.UNCHANGED, url(comment));
        }
        api.call("edit comment " + comment.getId() + " on " + key, () -> {
            comment.update(wanted);
            return null;
        });
        return new CommentWrite(Written.UPDATED, url(comment));
    }

    @Override
    public Written setStatus(String repo, String sha, CommitStatus status)
            throws GitHubException {
        GitHubApi.requireRepo(repo);
        Objects.requireNonNull(status, "status == null");
        if (sha == null || !SHA.matcher(sha).matches()) {
            throw new IllegalArgumentException("sha must be a full commit SHA, got '" + sha + "'");
        }
        Optional<JsonNode> current = currentStatus(repo, sha, status.context());
        if (current.isPresent() && isSame(current.get(), status)) {
            return Written.UNCHANGED;
        }
        GHRepository r = api.repository(repo);
        api.call("set status " + status.context() + " on " + repo + "@" + sha,
                () -> r.createCommitStatus(sha, GHCommitState.valueOf(status.state().name()),
                        status.targetUrl().orElse(null), status.description(),
                        status.context()));
        return current.isPresent() ? Written.UPDATED : Written.CREATED;
    }

    @Override
    public void replyToComment(String repo, int number, String body) throws GitHubException {
        GitHubApi.requireRepo(repo);
        String text = CommentLimit.fit(Objects.requireNonNull(body, "body == null"));
        GHPullRequest pr = pullRequest(repo, number);
        api.call("reply on " + repo + "#" + number, () -> pr.comment(text));
    }

    private GHPullRequest pullRequest(String repo, int number) throws GitHubException {
        GHRepository r = api.repository(repo);
        return api.call("read pull request " + repo + "#" + number,
                () -> r.getPullRequest(number));
    }

    /**
     * The latest status of {@code context} on the commit, from the combined status (latest per
     * context, one page for up to 100 contexts). Not through hub4j: 1.330 has no combined
     * status; its {@code GHRepository#listCommitStatuses} walks every status ever set on the
     * commit, newest first, so a context not set yet costs one request per 100 statuses of all
     * contexts instead of one.
     */
    private Optional<JsonNode> currentStatus(String repo, String sha, String context)
            throws GitHubException {
        String what = "read the statuses of " + repo + "@" + sha;
        HttpUrl url = api.json().url("/repos/" + repo + "/commits/" + sha + "/status")
                .newBuilder().addQueryParameter("per_page", "100").build();
        for (JsonNode page : api.json().pages(url, api.authorizationForRepo(repo), what)) {
            for (JsonNode s : page.path("statuses")) {
                if (context.equals(s.path("context").asText())) {
                    return Optional.of(s);
                }
            }
        }
        return Optional.empty();
    }

    private static boolean isSame(JsonNode current, CommitStatus wanted) {
        return wanted.state().apiName().equals(current.path("state").asText())
                && wanted.description().equals(current.path("description").asText(""))
                && wanted.targetUrl().orElse("").equals(current.path("target_url").asText(""));
    }

    private static void requireMarker(String marker) {
        if (marker == null || !MARKER.matcher(marker).matches()) {
            throw new IllegalArgumentException(
                    "marker must be one hidden HTML comment such as <!-- tidegate:summary -->");
        }
    }

    /** GitHub may hand a body back with CRLF line ends; compare text, not line endings. */
    private static String normalize(String body) {
        return body.replace("\r\n", "\n");
    }

    private static Optional<String> url(GHIssueComment comment) {
        return Optional.ofNullable(comment.getHtmlUrl()).map(Object::toString);
    }
}
