package io.tidegate.github;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.patch;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.tidegate.github.GitHubStub.SHA;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tidegate.github.PullRequestWriter.CommentWrite;
import io.tidegate.github.PullRequestWriter.Written;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class GitHubPullRequestWriterTest {
    private static final String REPO = "acme/infra";
    private static final String MARKER = "<!-- tidegate:summary -->";
    private static final String COMMENTS = "/repos/acme/infra/issues/7/comments";
    private static final String STATUS =
            "/repos/acme/infra/commits/" + SHA + "/status?per_page=100";

    private GitHubStub stub;
    private GitHubApi api;
    private GitHubPullRequestWriter writer;

    @BeforeEach
    void start() throws Exception {
        stub = new GitHubStub();
        api = stub.connect(stub.tokenSettings());
        writer = new GitHubPullRequestWriter(api);
        stub.repository(REPO);
        stub.cachedGet("/repos/acme/infra/pulls/7", "\"etag-pr\"",
                stub.pullRequestJson(REPO, 7, SHA, REPO));
        stub.cachedGet("/user", "\"etag-user\"", "{\"login\":\"tidegate[bot]\",\"id\":1}");
    }

    @AfterEach
    void stop() throws Exception {
        api.close();
        stub.close();
    }

    private String comment(long id, String login, String body) {
        return "{\"id\":" + id + ",\"body\":" + json(body) + ",\"user\":{\"login\":\"" + login
                + "\"},\"html_url\":\"https://github.com/acme/infra/pull/7#issuecomment-" + id
                + "\",\"url\":\"" + stub.base() + "/repos/acme/infra/issues/comments/" + id
                + "\"}";
    }

    private static String json(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n")
                .replace("\r", "\\r") + "\"";
    }

    private void comments(List<String> page1, List<String> page2) {
        String link = "<" + stub.base() + COMMENTS + "?per_page=100&page=2>; rel=\"next\"";
        stub.cachedGet(COMMENTS + "?per_page=100", "\"c1\"", "[" + String.join(",", page1) + "]",
                link);
        stub.cachedGet(COMMENTS + "?per_page=100&page=2", "\"c2\"",
                "[" + String.join(",", page2) + "]");
    }

    @Test
    void createsTheStickyCommentWhenNoneCarriesTheMarker() throws Exception {
        comments(List.of(comment(1, "bob", "LGTM")), List.of(comment(2, "atlantis", "Ran Plan")));
        stub.wm.stubFor(post(urlEqualTo(COMMENTS)).willReturn(stub.github(201)
                .withBody(comment(99, "tidegate[bot]", MARKER + "\n## Blocked"))));
        CommentWrite w = writer.upsertStickyComment(REPO, 7, MARKER, "## Blocked");
        assertThat(w).isEqualTo(new CommentWrite(Written.CREATED,
                Optional.of("https://github.com/acme/infra/pull/7#issuecomment-99")));
        assertThat(stub.journal()).containsExactly("GET /repos/acme/infra",
                "GET /repos/acme/infra/pulls/7", "GET " + COMMENTS + "?per_page=100",
                "GET " + COMMENTS + "?per_page=100&page=2", "GET /user", "POST " + COMMENTS);
        stub.wm.verify(postRequestedFor(urlEqualTo(COMMENTS))
                .withHeader("Authorization", equalTo("token " + GitHubStub.TOKEN))
                .withRequestBody(equalToJson("{\"body\":" + json(MARKER + "\n## Blocked") + "}")));
    }

    @Test
    void editsOurCommentInPlaceWhenTheBodyChanged() throws Exception {
        comments(List.of(comment(1, "bob", "> " + MARKER + " quoted by a human")),
                List.of(comment(42, "tidegate[bot]", MARKER + "\n## Blocked")));
        stub.wm.stubFor(patch(urlEqualTo("/repos/acme/infra/issues/comments/42"))
                .willReturn(stub.github(200).withBody(comment(42, "tidegate[bot]", "x"))));
        CommentWrite w = writer.upsertStickyComment(REPO, 7, MARKER, MARKER + "\n## Ready");
        assertThat(w.written()).isEqualTo(Written.UPDATED);
        assertThat(stub.journal()).last()
                .isEqualTo("PATCH /repos/acme/infra/issues/comments/42");
        assertThat(stub.requests().get(stub.requests().size() - 1).getBodyAsString())
                .isEqualTo("{\"body\":" + json(MARKER + "\n## Ready") + "}");
    }

    @Test
    @org.junit.jupiter.api.Tag("security")
    void aMarkedCommentByAnyoneElseIsNeverEditedAndTidegatePostsItsOwn() throws Exception {
        // mallory's comment starts with the marker and forges a "ready" table
        comments(List.of(comment(7, "mallory", MARKER + "\n| production | ✅ ready |")),
                List.of());
        stub.wm.stubFor(post(urlEqualTo(COMMENTS)).willReturn(stub.github(201)
                .withBody(comment(99, "tidegate[bot]", MARKER + "\n## Blocked"))));
        CommentWrite w = writer.upsertStickyComment(REPO, 7, MARKER, "## Blocked");
        assertThat(w.written()).isEqualTo(Written.CREATED);
        assertThat(stub.journal()).noneMatch(l -> l.startsWith("PATCH "))
                .last().isEqualTo("POST " + COMMENTS);
    }

    @Test
    void tidegatesOwnLoginIsAskedOnceForTheProcess() throws Exception {
        comments(List.of(comment(42, "tidegate[bot]", MARKER + "\n## Ready")), List.of());
        writer.upsertStickyComment(REPO, 7, MARKER, "## Ready");
        writer.upsertStickyComment(REPO, 7, MARKER, "## Ready");
        assertThat(stub.journal()).filteredOn(l -> l.equals("GET /user")).hasSize(1);
    }

    @Test
    void writesNothingWhenOurCommentAlreadySaysIt() throws Exception {
        comments(List.of(comment(42, "tidegate[bot]", MARKER + "\r\n## Ready")), List.of());
        CommentWrite w = writer.upsertStickyComment(REPO, 7, MARKER, "## Ready");
        assertThat(w.written()).isEqualTo(Written.UNCHANGED);
        assertThat(stub.journal()).allMatch(l -> l.startsWith("GET "));
    }

    @Test
    void secondUpsertOfTheSameBodyCostsOnlyConditionalReads() throws Exception {
        comments(List.of(comment(42, "tidegate[bot]", MARKER + "\n## Ready")), List.of());
        writer.upsertStickyComment(REPO, 7, MARKER, "## Ready");
        stub.wm.resetRequests();
        writer.upsertStickyComment(REPO, 7, MARKER, "## Ready");
        assertThat(stub.journal()).containsExactly("GET /repos/acme/infra/pulls/7",
                "GET " + COMMENTS + "?per_page=100", "GET " + COMMENTS + "?per_page=100&page=2");
        assertThat(stub.requests()).allMatch(r -> r.containsHeader("If-None-Match"));
    }

    @Test
    void tooLongBodyIsCutBeforeSending() throws Exception {
        comments(List.of(), List.of());
        stub.wm.stubFor(post(urlEqualTo(COMMENTS)).willReturn(stub.github(201)
                .withBody(comment(5, "tidegate[bot]", "x"))));
        String section = CommentLimit.SECTION_BREAK + "\n" + "y".repeat(30_000) + "\n";
        writer.upsertStickyComment(REPO, 7, MARKER, "## Head\n" + section + section + section);
        String sent = stub.requests().get(stub.requests().size() - 1).getBodyAsString();
        assertThat(sent.length()).isLessThan(CommentLimit.MAX_CHARS + 100);
        assertThat(sent).contains("1 section was left out");
    }

    @Test
    void failedCommentPostIsNotRetriedHere() {
        comments(List.of(), List.of());
        stub.wm.stubFor(post(urlEqualTo(COMMENTS)).willReturn(stub.github(502)));
        assertThatThrownBy(() -> writer.upsertStickyComment(REPO, 7, MARKER, "## Blocked"))
                .isInstanceOfSatisfying(GitHubException.class, e -> {
                    assertThat(e.failure()).isEqualTo(GitHubException.Failure.SERVER_ERROR);
                    assertThat(e.isRetryable()).isTrue();
                    assertThat(e.getMessage())
                            .isEqualTo("could not comment on acme/infra#7: HTTP 502");
                });
        stub.wm.verify(1, postRequestedFor(urlEqualTo(COMMENTS)));
    }

    @Test
    void rejectsAMarkerThatIsNotAHiddenComment() {
        assertThatThrownBy(() -> writer.upsertStickyComment(REPO, 7, "tidegate", "x"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private void combinedStatus(String statuses) {
        stub.cachedGet(STATUS, "\"s1\"", "{\"state\":\"pending\",\"sha\":\"" + SHA
                + "\",\"total_count\":1,\"statuses\":[" + statuses + "]}");
    }

    private static final CommitStatus BLOCKED = CommitStatus.of("production",
            CommitStatus.State.FAILURE, "cost +$620/month is over the $500 limit",
            Optional.of("https://github.com/acme/infra/pull/7#issuecomment-42"));

    @Test
    void setsTheStatusWhenNoneExistsForTheContext() throws Exception {
        combinedStatus("{\"context\":\"atlantis/plan\",\"state\":\"success\","
                + "\"description\":\"Plan succeeded\",\"target_url\":null}");
        stub.wm.stubFor(post(urlEqualTo("/repos/acme/infra/statuses/" + SHA))
                .willReturn(stub.github(201).withBody("{\"id\":1,\"state\":\"failure\","
                        + "\"context\":\"tidegate/production\"}")));
        assertThat(writer.setStatus(REPO, SHA, BLOCKED)).isEqualTo(Written.CREATED);
        assertThat(stub.journal()).containsExactly("GET " + STATUS, "GET /repos/acme/infra",
                "POST /repos/acme/infra/statuses/" + SHA);
        assertThat(stub.requests().get(2).getBodyAsString()).satisfies(body -> assertThat(
                new ObjectMapper().readTree(body)).isEqualTo(
                new ObjectMapper().readTree(
                        "{\"state\":\"failure\",\"target_url\":\"https://github.com/acme/infra/"
                                + "pull/7#issuecomment-42\",\"description\":\"cost +$620/month "
                                + "is over the $500 limit\","
                                + "\"context\":\"tidegate/production\"}")));
    }

    @Test
    void skipsTheStatusWhenTheLatestOneAlreadySaysTheSame() throws Exception {
        combinedStatus("{\"context\":\"tidegate/production\",\"state\":\"failure\","
                + "\"description\":\"cost +$620/month is over the $500 limit\","
                + "\"target_url\":\"https://github.com/acme/infra/pull/7#issuecomment-42\"}");
        assertThat(writer.setStatus(REPO, SHA, BLOCKED)).isEqualTo(Written.UNCHANGED);
        assertThat(stub.journal()).containsExactly("GET " + STATUS);
    }

    @Test
    void updatesTheStatusWhenItsStateChanged() throws Exception {
        combinedStatus("{\"context\":\"tidegate/production\",\"state\":\"pending\","
                + "\"description\":\"needs 2 approvals\",\"target_url\":null}");
        stub.wm.stubFor(post(urlEqualTo("/repos/acme/infra/statuses/" + SHA))
                .willReturn(stub.github(201).withBody("{\"id\":2}")));
        assertThat(writer.setStatus(REPO, SHA, BLOCKED)).isEqualTo(Written.UPDATED);
    }

    @Test
    void repliesWithOnePost() throws Exception {
        stub.wm.stubFor(post(urlEqualTo(COMMENTS)).willReturn(stub.github(201)
                .withBody(comment(7, "tidegate[bot]", "x"))));
        writer.replyToComment(REPO, 7, "Apply would be denied: needs 1 more approval.");
        assertThat(stub.journal()).containsExactly("GET /repos/acme/infra",
                "GET /repos/acme/infra/pulls/7", "POST " + COMMENTS);
        stub.wm.verify(postRequestedFor(urlEqualTo(COMMENTS)).withRequestBody(equalToJson(
                "{\"body\":\"Apply would be denied: needs 1 more approval.\"}")));
    }
}
