package io.tidegate.github;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;

import io.tidegate.Fixtures;
import io.tidegate.decision.PullRequest;
import io.tidegate.decision.Review;
import org.junit.jupiter.api.Test;
import org.kohsuke.github.GHEventPayload;
import org.kohsuke.github.GitHub;

class WebhookParserTest {
    private static final String SHA = "ec26c3e57ca3a959ca5aad62de7213c562f8c821";
    private static final String BODY =
            "This is a pretty simple change that we need to pull into master.";
    private final WebhookParser parser = new WebhookParser();

    private WebhookEvent parseFixture(String event, String file) throws Exception {
        return parser.parse(event, "d-1", Fixtures.bytes("github/" + file));
    }

    private WebhookEvent parseJson(String event, String json) throws Exception {
        return parser.parse(event, "d-1", json.getBytes(StandardCharsets.UTF_8));
    }

    private static PullRequest helloWorldPr(String body) {
        return new PullRequest("Codertocat/Hello-World", 2, "master", SHA, "Codertocat", false,
                Set.of("bug"), body, "Update the README with new information.");
    }

    @Test
    void pullRequestOpenedCarriesEveryFactTheDecisionReads() throws Exception {
        assertThat(parseFixture("pull_request", "pull_request.opened.json")).isEqualTo(
                new WebhookEvent.PullRequestEvent("d-1", "opened", helloWorldPr(BODY), "changes",
                        false, false, "Codertocat", Optional.of(1L)));
    }

    @Test
    void pullRequestSynchronizeReopenedLabeledAndClosedAreAllUsed() throws Exception {
        for (String action : new String[] {"synchronize", "reopened", "labeled", "closed"}) {
            WebhookEvent e = parseFixture("pull_request", "pull_request." + action + ".json");
            assertThat(e).isEqualTo(new WebhookEvent.PullRequestEvent("d-1", action,
                    helloWorldPr(BODY), "changes", false, false, "Codertocat", Optional.of(1L)));
        }
    }

    @Test
    void reviewSubmittedCommentedKeepsTheReviewedCommit() throws Exception {
        assertThat(parseFixture("pull_request_review",
                "pull_request_review.submitted.commented.json")).isEqualTo(
                new WebhookEvent.ReviewEvent("d-1", "submitted", "Codertocat/Hello-World", 2, SHA,
                        237895671L, "Codertocat", Review.State.COMMENTED, Optional.of(SHA),
                        Optional.of(Instant.parse("2019-05-15T15:20:38Z")), Optional.of(1L)));
    }

    @Test
    void reviewDismissedIsUsed() throws Exception {
        WebhookEvent.ReviewEvent e = (WebhookEvent.ReviewEvent) parseFixture(
                "pull_request_review", "pull_request_review.dismissed.json");
        assertThat(e.action()).isEqualTo("dismissed");
        assertThat(e.state()).isEqualTo(Review.State.DISMISSED);
        assertThat(e.review()).isEqualTo(new Review("Codertocat", Review.State.DISMISSED, SHA,
                Instant.parse("2019-05-15T15:20:38Z")));
    }

    @Test
    void oldApprovedReviewWithoutCommitIdNeverCountsForAHeadCommit() throws Exception {
        WebhookEvent.ReviewEvent e = (WebhookEvent.ReviewEvent) parseFixture(
                "pull_request_review", "pull_request_review.submitted.approved.json");
        assertThat(e).isEqualTo(new WebhookEvent.ReviewEvent("d-1", "submitted",
                "baxterthehacker/public-repo", 8, "b7a1f9c27caa4e03c14a88feb56e2d4f7500aa63",
                2626884L, "baxterthehacker", Review.State.APPROVED, Optional.empty(),
                Optional.of(Instant.parse("2016-10-03T23:39:09Z")), Optional.empty()));
        assertThat(e.review().commitSha()).isEmpty();
    }

    @Test
    void commentOnAPullRequestIsACommentEvent() throws Exception {
        assertThat(parseFixture("issue_comment", "issue_comment.created.on-pull-request.json"))
                .isEqualTo(new WebhookEvent.CommentEvent("d-1", "chhsia0/knative-route-demo", 3,
                        546616131L, "chhsia0", false, "/build", Optional.empty()));
    }

    @Test
    void commentOnAPlainIssueIsIgnored() throws Exception {
        assertThat(parseFixture("issue_comment", "issue_comment.created.on-issue.json"))
                .isEqualTo(new WebhookEvent.Ignored("d-1", "issue_comment",
                        "comment on issue #1, which is not a pull request"));
    }

    @Test
    void pingNamesTheHookAndRepository() throws Exception {
        assertThat(parseFixture("ping", "ping.json")).isEqualTo(new WebhookEvent.Ping("d-1",
                "Anything added dilutes everything else.", 109948940L,
                Optional.of("Octocoders/Hello-World")));
    }

    @Test
    void pushStatusAndCheckRunAreIgnoredByName() throws Exception {
        assertThat(parseFixture("push", "push.new-branch.json")).isEqualTo(
                new WebhookEvent.Ignored("d-1", "push", "event 'push' is not used by Tidegate"));
        assertThat(parseFixture("status", "status.json")).isEqualTo(new WebhookEvent.Ignored(
                "d-1", "status", "event 'status' is not used by Tidegate"));
        assertThat(parseFixture("check_run", "check_run.completed.json")).isEqualTo(
                new WebhookEvent.Ignored("d-1", "check_run",
                        "event 'check_run' is not used by Tidegate"));
    }

    @Test
    void forkPullRequestIsMarkedAsFork() throws Exception {
        String json = new String(Fixtures.bytes("github/pull_request_review.submitted.approved"
                + ".json"), StandardCharsets.UTF_8);
        // The old example's head lives in skalnik/public-repo, its base in baxterthehacker's.
        String asPrEvent = json.replace("\"action\": \"submitted\"", "\"action\": \"opened\"");
        WebhookEvent.PullRequestEvent e =
                (WebhookEvent.PullRequestEvent) parseJson("pull_request", asPrEvent);
        assertThat(e.fork()).isTrue();
        assertThat(e.pullRequest()).isEqualTo(new PullRequest("baxterthehacker/public-repo", 8,
                "master", "b7a1f9c27caa4e03c14a88feb56e2d4f7500aa63", "skalnik", false, Set.of(),
                "Just a few more details", "Add a README description"));
    }

    @Test
    void unusedPullRequestActionIsIgnoredWithTheAction() throws Exception {
        String json = fixtureText("pull_request.opened.json")
                .replace("\"action\": \"opened\"", "\"action\": \"assigned\"");
        assertThat(parseJson("pull_request", json)).isEqualTo(new WebhookEvent.Ignored("d-1",
                "pull_request", "pull_request action 'assigned' is not used by Tidegate"));
    }

    @Test
    void unusedReviewAndCommentActionsAreIgnored() throws Exception {
        assertThat(parseJson("pull_request_review", "{\"action\":\"requested\"}"))
                .isEqualTo(new WebhookEvent.Ignored("d-1", "pull_request_review",
                        "pull_request_review action 'requested' is not used by Tidegate"));
        assertThat(parseJson("issue_comment", "{\"action\":\"deleted\"}"))
                .isEqualTo(new WebhookEvent.Ignored("d-1", "issue_comment",
                        "issue_comment action 'deleted' is not used by Tidegate"));
    }

    @Test
    void membershipTeamAndOrganizationEventsInvalidateMemberships() throws Exception {
        assertThat(parseJson("membership", "{\"action\":\"removed\",\"scope\":\"team\","
                + "\"member\":{\"login\":\"alice\"},\"team\":{\"slug\":\"devops-lead\"},"
                + "\"organization\":{\"login\":\"acme\"}}")).isEqualTo(
                new WebhookEvent.MembershipChange("d-1", "membership", "removed", "acme",
                        Optional.of("acme/devops-lead"), Optional.of("alice")));
        assertThat(parseJson("team", "{\"action\":\"deleted\",\"team\":{\"slug\":\"cto\"},"
                + "\"organization\":{\"login\":\"acme\"}}")).isEqualTo(
                new WebhookEvent.MembershipChange("d-1", "team", "deleted", "acme",
                        Optional.of("acme/cto"), Optional.empty()));
        assertThat(parseJson("organization", "{\"action\":\"member_removed\","
                + "\"membership\":{\"user\":{\"login\":\"bob\"}},"
                + "\"organization\":{\"login\":\"acme\"}}")).isEqualTo(
                new WebhookEvent.MembershipChange("d-1", "organization", "member_removed", "acme",
                        Optional.empty(), Optional.of("bob")));
        assertThat(parseJson("organization", "{\"action\":\"renamed\","
                + "\"organization\":{\"login\":\"acme\"}}")).isEqualTo(
                new WebhookEvent.Ignored("d-1", "organization",
                        "organization action 'renamed' is not used by Tidegate"));
    }

    @Test
    void commentByABotAccountIsMarked() throws Exception {
        String json = fixtureText("issue_comment.created.on-pull-request.json")
                .replaceAll("\"type\": ?\"User\"", "\"type\":\"Bot\"");
        assertThat(((WebhookEvent.CommentEvent) parseJson("issue_comment", json)).byBot())
                .isTrue();
    }

    @Test
    void missingHeadShaIsNamedByItsPath() {
        String json = fixtureText("pull_request.opened.json").replace(
                "\"sha\": \"" + SHA + "\"", "\"shaX\": \"" + SHA + "\"");
        assertMalformed("pull_request", json, "pull_request.head.sha",
                "pull_request.head.sha: missing (expected a string)");
    }

    @Test
    void illTypedNumberIsNamedWithWhatWasFound() {
        String json = fixtureText("pull_request.opened.json")
                .replaceFirst("(\"pull_request\": \\{[\\s\\S]*?)\"number\": 2",
                        "$1\"number\": \"2\"");
        assertMalformed("pull_request", json, "pull_request.number",
                "pull_request.number: expected a positive whole number, found a string");
    }

    @Test
    void labelWithoutNameIsNamedByIndex() {
        String json = fixtureText("pull_request.labeled.json")
                .replaceFirst("(\"labels\": \\[\\s*\\{[\\s\\S]*?)\"name\"", "$1\"nameX\"");
        assertMalformed("pull_request", json, "pull_request.labels[0].name",
                "pull_request.labels[0].name: missing (expected a string)");
    }

    @Test
    void unknownReviewStateAndBadShaAreRejected() {
        String state = fixtureText("pull_request_review.submitted.commented.json")
                .replace("\"state\": \"commented\"", "\"state\": \"lgtm\"");
        assertMalformed("pull_request_review", state, "review.state",
                "review.state: unknown review state 'lgtm'");
        String sha = fixtureText("pull_request_review.submitted.commented.json")
                .replace("\"commit_id\": \"" + SHA, "\"commit_id\": \"HEAD~1");
        assertMalformed("pull_request_review", sha, "review.commit_id",
                "review.commit_id: expected a commit SHA (40 or 64 lowercase hex digits)");
    }

    @Test
    void reviewSubmissionTimeThatIsNotATimeIsRejected() {
        String at = fixtureText("pull_request_review.submitted.commented.json")
                .replace("\"submitted_at\": \"2019-05-15T15:20:38Z\"",
                        "\"submitted_at\": \"yesterday\"");
        assertMalformed("pull_request_review", at, "review.submitted_at",
                "review.submitted_at: expected an ISO-8601 time such as 2026-11-22T10:00:00Z");
    }

    @Test
    void repositoryNameMustBeOwnerSlashName() {
        String json = fixtureText("pull_request.opened.json")
                .replace("\"full_name\": \"Codertocat/Hello-World\"",
                        "\"full_name\": \"Codertocat/Hello-World/../x\"");
        assertMalformed("pull_request", json, "repository.full_name",
                "repository.full_name: expected owner/name, found 'Codertocat/Hello-World/../x'");
    }

    @Test
    void missingActionIsMalformedNotIgnored() {
        assertMalformed("pull_request", "{\"number\": 1}", "action",
                "action: missing (expected a string)");
    }

    @Test
    void notJsonOrNotAnObjectIsMalformed() {
        assertMalformed("pull_request", "", "$", "$: the body is empty");
        assertMalformed("pull_request", "[1,2]", "$", "$: expected a JSON object");
        assertMalformed("pull_request", "{\"action\":", "$", null);
        assertMalformed("push", "{} {}", "$", null);
        assertMalformed("pull_request", "{\"action\":\"opened\",\"action\":\"closed\"}", "$",
                null);
    }

    @Test
    void missingOrOddHeadersAreMalformed() {
        byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> parser.parse(null, "d-1", body))
                .isInstanceOf(MalformedWebhookException.class)
                .hasMessage("X-GitHub-Event: header is missing");
        assertThatThrownBy(() -> parser.parse("ping", " ", body))
                .hasMessage("X-GitHub-Delivery: header is missing");
        assertThatThrownBy(() -> parser.parse("pull request", "d-1", body))
                .hasMessage("X-GitHub-Event: unexpected value 'pull request'");
    }

    @Test
    void agreesWithHub4jOnEveryPullRequestFixture() throws Exception {
        GitHub offline = GitHub.offline();
        for (String action : new String[] {"opened", "synchronize", "reopened", "closed",
                "labeled"}) {
            String file = "pull_request." + action + ".json";
            GHEventPayload.PullRequest theirs = offline.parseEventPayload(
                    new StringReader(fixtureText(file)), GHEventPayload.PullRequest.class);
            PullRequest ours = ((WebhookEvent.PullRequestEvent) parseFixture("pull_request", file))
                    .pullRequest();
            assertThat(ours.number()).isEqualTo(theirs.getNumber());
            assertThat(ours.headSha()).isEqualTo(theirs.getPullRequest().getHead().getSha());
            assertThat(ours.base()).isEqualTo(theirs.getPullRequest().getBase().getRef());
            assertThat(ours.author()).isEqualTo(theirs.getPullRequest().getUser().getLogin());
            assertThat(ours.draft()).isEqualTo(theirs.getPullRequest().isDraft());
            assertThat(ours.body()).isEqualTo(theirs.getPullRequest().getBody());
            assertThat(ours.repo()).isEqualTo(theirs.getRepository().getFullName());
        }
    }

    private void assertMalformed(String event, String json, String path, String message) {
        assertThatThrownBy(() -> parseJson(event, json))
                .isInstanceOfSatisfying(MalformedWebhookException.class, e -> {
                    assertThat(e.path()).isEqualTo(path);
                    if (message != null) {
                        assertThat(e.getMessage()).isEqualTo(message);
                    }
                });
    }

    private static String fixtureText(String file) {
        return new String(Fixtures.bytes("github/" + file), StandardCharsets.UTF_8);
    }
}
