package io.tidegate;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tidegate.decision.CostChange;
import io.tidegate.decision.PlanChange;
import io.tidegate.decision.ProjectRef;
import io.tidegate.store.AuditRecord;
import io.tidegate.store.CostReport;
import io.tidegate.store.OverrideRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Comment commands sent as GitHub sends them (the recorded issue_comment, body replaced). */
class GitHubCommentCommandsTest {
    static final String SHA = "d".repeat(40);
    static final String REPO = "chhsia0/knative-route-demo";
    static final Instant SUNDAY_NIGHT = Instant.parse("2026-11-22T12:00:00Z");

    @TempDir
    Path dir;
    FakeGitHub github;
    GitHubServer server;
    long nextCommentId = 1;

    @BeforeEach
    void start() throws Exception {
        github = new FakeGitHub(SHA);
        server = new GitHubServer(dir, github, new TestClock(SUNDAY_NIGHT), GitHubServer.SECRET);
        github.member("acme/devops-lead", "lead-park");
        github.pr(REPO, 3).labels.add("cost-reviewed");
        server.store.costReports().put(new CostReport(REPO, 3, SHA,
                new ProjectRef("prod-environment", "environments/prod", "default"),
                new CostChange(Optional.of(new BigDecimal("12.50")),
                        Optional.of(new BigDecimal("100"))),
                PlanChange.EMPTY, SUNDAY_NIGHT));
    }

    @AfterEach
    void stop() {
        server.close();
        github.close();
    }

    /** Comments {@code body} as {@code login} and returns the comment id. */
    private long comment(String login, String type, String body) throws Exception {
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = (ObjectNode) json.readTree(Fixtures.bytes(
                "github/issue_comment.created.on-pull-request.json"));
        long id = nextCommentId++;
        ObjectNode c = (ObjectNode) root.get("comment");
        c.put("id", id).put("body", body);
        ((ObjectNode) c.get("user")).put("login", login).put("type", type);
        ((ObjectNode) root.get("sender")).put("login", login).put("type", type);
        assertThat(server.send("issue_comment", json.writeValueAsBytes(root)).statusCode())
                .isEqualTo(202);
        server.awaitInboxIdle();
        return id;
    }

    private String awaitReply(long commentId) throws InterruptedException {
        String marker = "<!-- tidegate:reply:" + commentId + " -->";
        GitHubServer.await("the reply to " + commentId, () -> github.comments(REPO, 3).stream()
                .anyMatch(c -> c.body().startsWith(marker)));
        return github.comments(REPO, 3).stream().filter(c -> c.body().startsWith(marker))
                .findFirst().get().body().substring(marker.length() + 1);
    }

    @Test
    void anOverrideByARoleOfTheWindowIsRecordedAuditedConfirmedAndShown() throws Exception {
        long id = comment("lead-park", "User", "tidegate override --reason \"hotfix for INC-7\"");

        // names and the reason are inert Markdown (punctuation escaped; shown as written)
        assertThat(awaitReply(id)).isEqualTo("@lead-park override recorded (reason: hotfix for"
                + " INC\\-7):\n- production: <code>production\\-hours</code> is lifted for"
                + " `ddddddd` until"
                + " Sun 2026-11-22 23:00 KST\n\nIt counts only for this commit: a new push needs"
                + " a new override.\n");
        assertThat(server.store.overrides().forPullRequest(REPO, 3))
                .extracting(OverrideRecord::environment, o -> o.override().user(),
                        o -> o.override().commitSha(), OverrideRecord::expiresAt)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("production", "lead-park",
                        SHA, SUNDAY_NIGHT.plusSeconds(7200)));
        assertThat(server.store.audit().forPullRequest(REPO, 3, 10))
                .extracting(AuditRecord::command, AuditRecord::actor, AuditRecord::reasonCodes)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("override", "lead-park",
                        List.of("override-active")));
        // the re-evaluation shows it: the window no longer blocks, approvals still do
        GitHubServer.await("the sticky comment", () -> github.comments(REPO, 3).stream()
                .anyMatch(c -> c.body().startsWith("<!-- tidegate:summary -->")));
        String sticky = github.comments(REPO, 3).stream()
                .filter(c -> c.body().startsWith("<!-- tidegate:summary -->")).findFirst().get()
                .body();
        assertThat(sticky).contains("- **Override:** by lead\\-park until Sun 2026-11-22 23:00"
                + " KST — hotfix for INC\\-7", "lifted by override");
        GitHubServer.await("the status", () -> github.statuses(REPO, SHA)
                .containsKey("tidegate/production"));
        assertThat(github.statuses(REPO, SHA).get("tidegate/production").state())
                .isEqualTo("pending");
        // explain lists the override as a note, apart from the approvals that still block
        String explained = awaitReply(comment("lead-park", "User",
                "tidegate explain -p prod-environment"));
        assertThat(explained).contains("(`approvals-missing`)", "\n*Notes (they do not "
                + "block):*\n\n- ");
        assertThat(explained.indexOf("(`override-active`)"))
                .isGreaterThan(explained.indexOf("*Notes (they do not block):*"))
                .isGreaterThan(explained.indexOf("(`approvals-missing`)"));
    }

    @Test
    void anOverrideBySomeoneWithoutTheRoleIsRefusedWithTheRoleItTakes() throws Exception {
        long id = comment("alice", "User", "tidegate override --reason \"please\"");

        assertThat(awaitReply(id)).isEqualTo("@alice no override recorded:\n- production:"
                + " overriding <code>production\\-hours</code> takes role devops\\-lead or cto\n");
        assertThat(server.store.overrides().forPullRequest(REPO, 3)).isEmpty();
    }

    @Test
    void anApplyTheGateWouldDenyIsAnsweredAtOnceWithTheReasons() throws Exception {
        long id = comment("alice", "User", "atlantis apply -p prod-environment");

        String reply = awaitReply(id);
        assertThat(reply).startsWith("@alice Tidegate will deny `atlantis apply` at `ddddddd` for"
                + " you:\n\n**prod\\-environment** (production): ⛔ denied\n");
        assertThat(reply).contains("(`actor-not-allowed`)", "(`approvals-missing`)",
                "(`window-closed`)");
    }

    @Test
    void anApplyWithTheRunPrefixIsCheckedLikeAnyOther() throws Exception {
        // "@atlantis" would be Atlantis's "did you mean `atlantis`" (one edit from its name)
        long id = comment("alice", "User", "run apply -p prod-environment");

        assertThat(awaitReply(id)).startsWith("@alice Tidegate will deny `atlantis apply` at "
                + "`ddddddd` for you:");
    }

    /** Atlantis matches a -d glob against atlantis.yaml's projects: Tidegate cannot know them. */
    @Test
    void anApplyOfADirectoryGlobIsAnsweredWithCannotTellNotAGuess() throws Exception {
        long id = comment("alice", "User", "atlantis apply -d 'environments/*'");

        // the commenter's arguments are shown inert (text/Untrusted), not as a code span
        assertThat(awaitReply(id)).isEqualTo("@alice Tidegate cannot tell which projects"
                + " <code>\\-d environments\\/\\* \\-w default</code> selects: Atlantis matches it against the"
                + " projects of atlantis.yaml. Each project it applies is judged by Tidegate's"
                + " gate when Atlantis runs it; comment `tidegate explain -p PROJECT` to see one"
                + " project's reasons.");
    }

    /** Atlantis runs -d without -w in the workspace "default" (project_command_builder.go). */
    @Test
    void anApplyOfADirectorySelectsItsDefaultWorkspaceOnly() throws Exception {
        long dirOnly = comment("alice", "User", "atlantis apply -d ./environments/prod/");
        long otherWorkspace = comment("alice", "User", "atlantis apply -d environments/prod"
                + " -w blue");

        assertThat(awaitReply(dirOnly)).startsWith("@alice Tidegate will deny `atlantis apply`"
                + " at `ddddddd` for you:\n\n**prod\\-environment** (production)");
        assertThat(awaitReply(otherWorkspace)).isEqualTo("@alice Tidegate will deny `atlantis"
                + " apply` at `ddddddd`: no planned project matches"
                + " <code>\\-d environments\\/prod \\-w blue</code>.");
    }

    @Test
    void explainListsEveryReasonHelpShowsUsageAndAMalformedCommandGetsAPoliteAnswer()
            throws Exception {
        long explain = comment("lead-park", "User", "tidegate explain -p prod-environment");
        long help = comment("alice", "User", "tidegate help");
        long bad = comment("alice", "User", "tidegate frobnicate");

        assertThat(awaitReply(explain)).startsWith("What `atlantis apply` by @lead-park would"
                + " meet at `ddddddd`:\n\n**prod\\-environment** (production): ⛔ denied\n")
                .contains("(`approvals-missing`)", "(`window-closed`)")
                .doesNotContain("actor-not-allowed");
        assertThat(awaitReply(help)).startsWith("Tidegate commands:\n```\ntidegate explain");
        assertThat(awaitReply(bad)).startsWith("Sorry, I could not understand `tidegate"
                + " frobnicate`: ");
    }

    @Test
    void commentsByBotsAreNeverAnswered() throws Exception {
        comment("atlantis[bot]", "Bot", "tidegate help");
        comment("someone", "User", "<!-- tidegate:summary -->\ntidegate help");

        assertThat(github.journal()).isEmpty();
    }
}
