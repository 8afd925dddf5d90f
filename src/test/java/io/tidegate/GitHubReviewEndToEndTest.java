package io.tidegate;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.tidegate.decision.CostChange;
import io.tidegate.decision.PlanChange;
import io.tidegate.decision.ProjectRef;
import io.tidegate.store.CostReport;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Webhooks into the real server, GitHub played by {@link FakeGitHub}: what Tidegate reads and
 * writes, the sticky comment and the statuses, as a PR moves from blocked to ready and while
 * GitHub fails.
 */
@Tag("slow")
class GitHubReviewEndToEndTest {
    static final String SHA = "ec26c3e57ca3a959ca5aad62de7213c562f8c821"; // the fixtures' head
    static final String REPO = "Codertocat/Hello-World";
    static final String PROD = "tidegate/production";
    /** Sunday 2026-11-22 21:00 in Seoul: production-hours is closed. */
    static final Instant SUNDAY_NIGHT = Instant.parse("2026-11-22T12:00:00Z");
    /** Monday 2026-11-23 10:00 in Seoul: open. */
    static final Instant MONDAY_MORNING = Instant.parse("2026-11-23T01:00:00Z");

    @TempDir
    Path dir;
    FakeGitHub github;
    TestClock clock;
    GitHubServer server;

    @BeforeEach
    void start() throws Exception {
        github = new FakeGitHub(SHA);
        clock = new TestClock(SUNDAY_NIGHT);
        server = new GitHubServer(dir, github, clock, GitHubServer.SECRET);
    }

    @AfterEach
    void stop() {
        server.close();
        github.close();
    }

    private String targetUrl(String repo, int number) {
        return github.base() + "/" + repo + "/pull/" + number;
    }

    static String waitingComment(String shortSha) {
        return "<!-- tidegate:summary -->\n### Tidegate · `" + shortSha + "`\n\n"
                + "⏳ Waiting for the Atlantis plan of `" + shortSha + "`. Once Atlantis has"
                + " planned this commit, this comment shows per environment what an apply"
                + " needs. Until then nothing here can be applied.\n\n"
                + "<sub>Updated on every push, review and plan · comment `tidegate explain` for"
                + " every reason, `tidegate help` for the commands.</sub>\n";
    }

    @Test
    void everyFixtureIsAnsweredAndEachPullRequestGetsOneWaitingCommentAndAPendingStatus()
            throws Exception {
        Map<String, Object[]> fixtures = new java.util.LinkedHashMap<>();
        fixtures.put("check_run.completed.json", new Object[] {"check_run", 202});
        fixtures.put("issue_comment.created.on-issue.json", new Object[] {"issue_comment", 202});
        fixtures.put("issue_comment.created.on-pull-request.json",
                new Object[] {"issue_comment", 202});
        fixtures.put("ping.json", new Object[] {"ping", 200});
        fixtures.put("pull_request.closed.json", new Object[] {"pull_request", 202});
        fixtures.put("pull_request.labeled.json", new Object[] {"pull_request", 202});
        fixtures.put("pull_request.opened.json", new Object[] {"pull_request", 202});
        fixtures.put("pull_request.reopened.json", new Object[] {"pull_request", 202});
        fixtures.put("pull_request.synchronize.json", new Object[] {"pull_request", 202});
        fixtures.put("pull_request_review.dismissed.json",
                new Object[] {"pull_request_review", 202});
        fixtures.put("pull_request_review.submitted.approved.json",
                new Object[] {"pull_request_review", 202});
        fixtures.put("pull_request_review.submitted.commented.json",
                new Object[] {"pull_request_review", 202});
        fixtures.put("push.new-branch.json", new Object[] {"push", 202});
        fixtures.put("status.json", new Object[] {"status", 202});
        assertThat(fixtures.keySet()).containsExactlyInAnyOrderElementsOf(
                java.nio.file.Files.list(Fixtures.root().resolve("github")).map(p -> p.getFileName()
                        .toString()).toList());

        for (Map.Entry<String, Object[]> f : fixtures.entrySet()) {
            HttpResponse<String> r = server.send((String) f.getValue()[0],
                    Fixtures.bytes("github/" + f.getKey()));
            assertThat(r.statusCode()).as(f.getKey()).isEqualTo(f.getValue()[1]);
        }
        server.awaitInboxIdle();
        GitHubServer.await("both statuses", () -> github.statuses(REPO, SHA).size() == 1
                && github.statuses("baxterthehacker/public-repo", SHA).size() == 1);

        assertThat(github.comments(REPO, 2)).extracting(FakeGitHub.Comment::body)
                .containsExactly(waitingComment("ec26c3e"));
        assertThat(github.comments("baxterthehacker/public-repo", 8))
                .extracting(FakeGitHub.Comment::body).containsExactly(waitingComment("ec26c3e"));
        assertThat(github.statuses(REPO, SHA)).containsExactly(Map.entry(PROD,
                new FakeGitHub.Status(PROD, "pending", "waiting for the Atlantis plan of ec26c3e",
                        targetUrl(REPO, 2))));
        // WireMock logs a request after answering it: the last POST may lag the fake's state
        GitHubServer.await("four writes in the journal", () -> github.writes().size() >= 4);
        assertThat(github.writes()).containsExactlyInAnyOrder(
                "POST /repos/Codertocat/Hello-World/issues/2/comments",
                "POST /repos/Codertocat/Hello-World/statuses/" + SHA,
                "POST /repos/baxterthehacker/public-repo/issues/8/comments",
                "POST /repos/baxterthehacker/public-repo/statuses/" + SHA);
        // the comment "/build" is no command: nothing is read or written for it
        assertThat(github.journal()).noneMatch(l -> l.contains("chhsia0"));
    }

    @Test
    void synchronizeCostsTheseCallsColdAndOnlyReadsWhenNothingChanged() throws Exception {
        byte[] sync = Fixtures.bytes("github/pull_request.synchronize.json");

        server.send("pull_request", sync);
        server.awaitInboxIdle();
        GitHubServer.await("the status", () -> github.statuses(REPO, SHA).size() == 1);
        // WireMock logs a request after its answer is made (where the fake keeps the status), so
        // the journal may lack the POST a moment longer: wait for it, not only for the status
        GitHubServer.await("the status request in the journal", () -> github.journal()
                .contains("POST /repos/Codertocat/Hello-World/statuses/" + SHA));
        List<String> cold = github.journal();
        github.resetJournal();
        server.send("pull_request", sync);
        server.awaitInboxIdle();
        GitHubServer.await("the warm reads in the journal", () -> github.journal().size() >= 2);
        List<String> warm = github.journal();
        System.out.println("synchronize, cold: " + cold.size() + " calls " + cold);
        System.out.println("synchronize, warm: " + warm.size() + " calls " + warm);

        String teams = "GET /orgs/acme/teams/";
        assertThat(cold).containsExactly(
                "GET /repos/Codertocat/Hello-World/pulls/2",
                "GET /repos/Codertocat/Hello-World/pulls/2/reviews?per_page=100",
                teams + "cto/memberships/alice",
                teams + "developers/memberships/alice",
                teams + "devops-lead/memberships/alice",
                teams + "devops-team/memberships/alice",
                teams + "senior-developers/memberships/alice",
                // the writer's, through hub4j: its repository object (once), then the PR to
                // comment on (hub4j's own request, so not the facts' kept answer)
                "GET /repos/Codertocat/Hello-World",
                "GET /repos/Codertocat/Hello-World/pulls/2",
                "GET /repos/Codertocat/Hello-World/issues/2/comments?per_page=100",
                "GET /user", // Tidegate's own login, once per process: only its comment is its
                "POST /repos/Codertocat/Hello-World/issues/2/comments",
                "GET /repos/Codertocat/Hello-World/commits/" + SHA + "/status?per_page=100",
                "POST /repos/Codertocat/Hello-World/statuses/" + SHA);
        // memberships cached, comment and status unchanged: nothing written, nothing re-checked
        assertThat(warm).containsExactly(
                "GET /repos/Codertocat/Hello-World/pulls/2",
                "GET /repos/Codertocat/Hello-World/pulls/2/reviews?per_page=100");
    }

    static final ProjectRef PROD_PROJECT =
            new ProjectRef("prod-environment", "environments/prod", "default");

    /** A PR into main that meets everything but approvals and the window. */
    private void prodPullRequest() {
        FakeGitHub.Pr pr = github.pr(REPO, 2);
        pr.labels.add("cost-reviewed");
        pr.body = "Adds a VPC.\n\n## Rollback plan\nRevert this PR.\n\n- [x] plan reviewed\n";
        github.member("acme/devops-lead", "lead-park");
        github.member("acme/cto", "cto-kim");
        server.store.costReports().put(new CostReport(REPO, 2, SHA, PROD_PROJECT,
                new CostChange(Optional.of(new BigDecimal("12.50")),
                        Optional.of(new BigDecimal("100"))),
                PlanChange.ofCounts(Map.of("aws_instance", 1), Map.of(), Map.of()), SUNDAY_NIGHT));
    }

    private void trigger(String fixture, String event) throws Exception {
        HttpResponse<String> r = server.send(event, Fixtures.bytes("github/" + fixture));
        assertThat(r.statusCode()).isEqualTo(202);
        server.awaitInboxIdle();
    }

    private void awaitStatus(String state, String description) throws InterruptedException {
        GitHubServer.await(state + " " + description, () -> {
            FakeGitHub.Status s = github.statuses(REPO, SHA).get(PROD);
            return s != null && s.state().equals(state) && s.description().equals(description);
        });
    }

    private String comment() {
        List<FakeGitHub.Comment> all = github.comments(REPO, 2);
        assertThat(all).hasSize(1);
        return all.get(0).body();
    }

    @Test
    void aProductionPullRequestGoesFromBlockedToReadyAsApprovalsArriveAndTheWindowOpens()
            throws Exception {
        prodPullRequest();

        trigger("pull_request.synchronize.json", "pull_request");
        awaitStatus("pending", "2 things block the apply: approvals-missing, window-closed");
        assertThat(comment()).contains("| **production** | ⏳ blocked | 0 of 2 | closed · opens"
                + " Mon 2026\\-11\\-23 09\\:00 KST | +$12.50 of $500.00 limit |",
                "- **Approvals:** 0 of 2 from devops\\-lead or cto — none yet",
                "- **Created resources:** <code>aws\\_instance</code> 1 of 5");

        github.pr(REPO, 2).approve("lead-park");
        trigger("pull_request_review.submitted.commented.json", "pull_request_review");
        GitHubServer.await("one approval", () -> github.comments(REPO, 2).get(0).body()
                .contains("1 of 2 from devops\\-lead or cto — approved by lead\\-park"));

        github.pr(REPO, 2).approve("cto-kim");
        trigger("pull_request_review.dismissed.json", "pull_request_review");
        awaitStatus("pending", "production-hours is closed at Sun 2026-11-22 21:00 KST");
        assertThat(comment()).contains("2 of 2 from devops\\-lead or cto — approved by"
                + " lead\\-park, cto\\-kim");

        clock.set(MONDAY_MORNING);
        trigger("pull_request.labeled.json", "pull_request");
        awaitStatus("success", "ready to apply");
        assertThat(comment()).contains("| **production** | ✅ ready | 2 of 2 | open |");
        assertThat(github.statuses(REPO, SHA).get(PROD).targetUrl())
                .isEqualTo(targetUrl(REPO, 2));
        // one comment, created once and edited in place
        assertThat(github.writes()).filteredOn(w -> w.contains("comments"))
                .containsExactly("POST /repos/Codertocat/Hello-World/issues/2/comments",
                        "PATCH /repos/Codertocat/Hello-World/issues/comments/1000",
                        "PATCH /repos/Codertocat/Hello-World/issues/comments/1000",
                        "PATCH /repos/Codertocat/Hello-World/issues/comments/1000");
    }

    @ParameterizedTest
    @EnumSource(value = FakeGitHub.Failure.class, names = {"SERVER_ERROR", "RATE_LIMITED"})
    void whileGitHubFailsNothingTurnsGreenAndTheWritesWaitUntilItIsBack(
            FakeGitHub.Failure failure) throws Exception {
        prodPullRequest();
        github.pr(REPO, 2).approve("lead-park");
        github.pr(REPO, 2).approve("cto-kim");
        clock.set(MONDAY_MORNING);
        github.failWith(failure);

        HttpResponse<String> r = server.send("pull_request", "sync-1",
                Fixtures.bytes("github/pull_request.synchronize.json"),
                server.signature.signatureOf(Fixtures.bytes(
                        "github/pull_request.synchronize.json")));
        assertThat(r.statusCode()).isEqualTo(202);
        GitHubServer.await("a failed attempt", () -> server.store.inbox().status("sync-1")
                .map(s -> s.lastError().isPresent()).orElse(false));
        if (failure == FakeGitHub.Failure.SERVER_ERROR) {
            // the error status is attempted (and fails); rate limited, it waits for the reset
            GitHubServer.await("an attempt to write the error status", () -> github.journal()
                    .contains("GET /repos/Codertocat/Hello-World/commits/" + SHA
                            + "/status?per_page=100"));
        }

        assertThat(server.store.inbox().status("sync-1").get().lastError().get())
                .startsWith("FactsUnavailableException: facts of Codertocat/Hello-World#2 could"
                        + " not be gathered from GitHub: could not read pull request"
                        + " Codertocat/Hello-World#2: ");
        assertThat(github.writes()).isEmpty();

        github.recover();
        clock.advance(Duration.ofHours(2)); // past the backoffs and the rate limit's reset
        awaitStatus("success", "ready to apply");

        assertThat(comment()).contains("| **production** | ✅ ready |");
        GitHubServer.await("the status write in the journal", () -> github.writes().stream()
                .anyMatch(w -> w.startsWith("POST /repos/Codertocat/Hello-World/statuses/")));
        assertThat(github.writes()).filteredOn(w -> w.startsWith("POST /repos/Codertocat/"
                + "Hello-World/statuses/")).hasSizeBetween(1, 2);
    }
}
