package io.tidegate;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tidegate.decision.CostChange;
import io.tidegate.decision.Freeze;
import io.tidegate.decision.PlanChange;
import io.tidegate.decision.ProjectRef;
import io.tidegate.store.AuditRecord;
import io.tidegate.store.CostReport;
import io.tidegate.store.HeldLock;
import io.tidegate.store.LockResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Freezes and lock release on demand over real HTTP: comment commands as GitHub sends them, the
 * environments API with the bearer token, against the real server and a fake GitHub. The
 * policy is the repository's {@code policies/policy.yaml} (freeze by devops-lead or cto).
 */
class FreezeEndToEndTest {
    static final String SHA = "d".repeat(40);
    static final String REPO = "chhsia0/knative-route-demo";
    static final Instant SUNDAY_NIGHT = Instant.parse("2026-11-22T12:00:00Z");
    static final String STICKY = "<!-- tidegate:summary -->";
    static final ObjectMapper JSON = new ObjectMapper();

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
        // PR 3 is reviewed once (an atlantis plan comment reads it), so it is one of the open
        // pull requests of production that a freeze re-evaluates
        comment("alice", "atlantis plan");
        GitHubServer.await("PR 3 reviewed and scheduled",
                () -> server.store.schedule().get(REPO, 3).isPresent());
    }

    @AfterEach
    void stop() {
        server.close();
        github.close();
    }

    @Test
    void aFreezeCommentedByTheRoleIsStoredAuditedShownInTheStickyCommentAndLiftedByUnfreeze()
            throws Exception {
        long id = comment("lead-park", "tidegate freeze production --until 2026-11-23T09:00 "
                + "--reason \"INC-9 @devops migration\"");

        assertThat(awaitReply(id)).isEqualTo("@lead-park froze `production` until Mon "
                + "2026-11-23 09:00 KST (reason: `INC-9 @devops migration`). 1 pull request is "
                + "re-evaluated.");
        assertThat(server.store.freezes().active(SUNDAY_NIGHT)).containsExactly(new Freeze(
                "production", "lead-park", "INC-9 @devops migration", SUNDAY_NIGHT,
                Optional.of(Instant.parse("2026-11-23T00:00:00Z")), false));
        assertThat(server.store.audit().forPullRequest(REPO, 3, 10))
                .extracting(AuditRecord::command, AuditRecord::actor, AuditRecord::environment,
                        AuditRecord::reasonCodes)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("freeze", "lead-park",
                        "production", List.of("freeze-active")));
        GitHubServer.await("the sticky comment naming the freeze",
                () -> sticky().contains("- **Freeze:**"));
        assertThat(sticky()).contains("- **Freeze:** frozen by lead-park until Mon 2026-11-23 "
                + "09:00 KST — `INC-9 @devops migration`", "(`freeze-active`)");
        GitHubServer.await("the status", () -> github.statuses(REPO, SHA)
                .containsKey("tidegate/production"));
        assertThat(github.statuses(REPO, SHA).get("tidegate/production").state())
                .isEqualTo("pending");

        long unfreeze = comment("lead-park", "tidegate unfreeze production");

        assertThat(awaitReply(unfreeze)).isEqualTo("@lead-park lifted the freeze of "
                + "`production` by lead-park (`INC-9 @devops migration`). 1 pull request is "
                + "re-evaluated.");
        assertThat(server.store.freezes().active(SUNDAY_NIGHT)).isEmpty();
        GitHubServer.await("the sticky comment without the freeze",
                () -> !sticky().contains("- **Freeze:**"));
    }

    @Test
    void aFreezeBySomeoneWithoutTheRoleIsRefusedNamingTheRoleAndNothingIsStored()
            throws Exception {
        long id = comment("alice", "tidegate freeze production --reason \"why not\"");

        assertThat(awaitReply(id)).isEqualTo("@alice freezing and unlocking `production` takes "
                + "role devops\\-lead or cto; you have no role.");
        assertThat(server.store.freezes().active(SUNDAY_NIGHT)).isEmpty();
        assertThat(server.store.audit().forPullRequest(REPO, 3, 10)).isEmpty();
    }

    @Test
    void aFreezeOfAnUnknownEnvironmentOrEndingInThePastIsRefusedPolitely() throws Exception {
        long unknown = comment("lead-park", "tidegate freeze prod --reason \"x\"");
        long past = comment("lead-park", "tidegate freeze production --until 2026-11-01T09:00 "
                + "--reason \"x\"");

        assertThat(awaitReply(unknown)).isEqualTo("@lead-park the policy has no environment "
                + "`prod` (environments: develop, staging, production).");
        assertThat(awaitReply(past)).isEqualTo("@lead-park nothing done: the freeze would end "
                + "at 2026-11-01T00:00:00Z, which is not in the future.");
    }

    @Test
    void theApiFreezesAndUnfreezesWithTheTokenAndAnswersPreciseErrors() throws Exception {
        String body = "{\"by\":\"change-calendar\",\"reason\":\"year-end freeze\","
                + "\"until\":\"2026-12-27T09:00+09:00\",\"overridable\":true}";
        assertThat(call("POST", "/api/v1/environments/production/freeze", body, null)
                .statusCode()).isEqualTo(401);

        HttpResponse<String> created = call("POST", "/api/v1/environments/production/freeze",
                body, "api-token");

        assertThat(created.statusCode()).isEqualTo(201);
        JsonNode json = JSON.readTree(created.body());
        assertThat(json.get("until").asText()).isEqualTo("2026-12-27T00:00:00Z");
        assertThat(json.get("overridable").asBoolean()).isTrue();
        assertThat(json.get("reReviewed").asInt()).isEqualTo(1);
        assertThat(server.store.audit().forRepository("(api)", 10))
                .extracting(AuditRecord::command, AuditRecord::actor)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("freeze", "change-calendar"));
        GitHubServer.await("the sticky comment naming the freeze",
                () -> sticky().contains("frozen by change-calendar until Sun 2026-12-27 09:00 KST"));

        assertThat(call("DELETE", "/api/v1/environments/production/freeze?by=ops", null,
                "api-token").statusCode()).isEqualTo(200);
        HttpResponse<String> again = call("DELETE",
                "/api/v1/environments/production/freeze?by=ops", null, "api-token");
        assertThat(again.statusCode()).isEqualTo(404);
        assertThat(again.body()).contains("environment 'production' is not frozen");
        assertThat(call("POST", "/api/v1/environments/prod/freeze", body, "api-token").body())
                .contains("the policy has no environment 'prod' (environments: develop, "
                        + "staging, production)");
        HttpResponse<String> badUntil = call("POST", "/api/v1/environments/production/freeze",
                "{\"by\":\"x\",\"reason\":\"y\",\"until\":\"next week\"}", "api-token");
        assertThat(badUntil.statusCode()).isEqualTo(400);
        assertThat(badUntil.body()).contains("until: \\\"next week\\\" is not a date and time");
        assertThat(call("POST", "/api/v1/environments/production/freeze", "{\"by\":\"x\"}",
                "api-token").body()).contains("reason: required");
    }

    @Test
    void theApiReleasesAStuckLockWhoeverHoldsItAndSaysWhenItWasFree() throws Exception {
        LockResult taken = server.store.locks().acquire("production", "acme/other#9",
                SUNDAY_NIGHT, Duration.ofMinutes(30));
        assertThat(taken).isInstanceOf(LockResult.Acquired.class);

        HttpResponse<String> released = call("DELETE",
                "/api/v1/environments/production/lock?by=ops-han&reason=apply%20crashed", null,
                "api-token");

        assertThat(released.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(released.body()).get("releasedHolder").asText())
                .isEqualTo("acme/other#9");
        assertThat(server.store.locks().current("production", SUNDAY_NIGHT)).isEmpty();
        assertThat(server.store.audit().forRepository("(api)", 10))
                .extracting(AuditRecord::command, AuditRecord::actor)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("unlock", "ops-han"));
        assertThat(call("DELETE", "/api/v1/environments/production/lock?by=ops-han&reason=x",
                null, "api-token").statusCode()).isEqualTo(404);
        assertThat(call("DELETE", "/api/v1/environments/production/lock?by=ops-han", null,
                "api-token").body()).contains("reason: required query parameter");
    }

    @Test
    void unlockCommentedByTheRoleReleasesTheLockOfAnotherPullRequest() throws Exception {
        server.store.locks().acquire("production", "acme/other#9", SUNDAY_NIGHT,
                Duration.ofMinutes(30));

        long id = comment("lead-park", "tidegate unlock production --reason \"runner died\"");

        assertThat(awaitReply(id)).startsWith("@lead-park released the apply lock of "
                + "`production` held by acme/other#9 (reason: `runner died`).");
        Optional<HeldLock> now = server.store.locks().current("production", SUNDAY_NIGHT);
        assertThat(now).isEmpty();
    }

    private HttpResponse<String> call(String method, String path, String body, String token)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + server.running.port() + path)).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return server.http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private String sticky() {
        return github.comments(REPO, 3).stream().filter(c -> c.body().startsWith(STICKY))
                .map(FakeGitHub.Comment::body).reduce((a, b) -> b).orElse("");
    }

    private long comment(String login, String body) throws Exception {
        ObjectNode root = (ObjectNode) JSON.readTree(Fixtures.bytes(
                "github/issue_comment.created.on-pull-request.json"));
        long id = nextCommentId++;
        ObjectNode c = (ObjectNode) root.get("comment");
        c.put("id", id).put("body", body);
        ((ObjectNode) c.get("user")).put("login", login).put("type", "User");
        ((ObjectNode) root.get("sender")).put("login", login).put("type", "User");
        assertThat(server.send("issue_comment", JSON.writeValueAsBytes(root)).statusCode())
                .isEqualTo(202);
        server.awaitInboxIdle();
        return id;
    }

    private String awaitReply(long commentId) throws InterruptedException {
        String marker = "<!-- tidegate:reply:" + commentId + " -->";
        GitHubServer.await("the reply to " + commentId, () -> github.comments(REPO, 3).stream()
                .anyMatch(c -> c.body().startsWith(marker)));
        return github.comments(REPO, 3).stream().filter(c -> c.body().startsWith(marker))
                .findFirst().get().body().substring(marker.length() + 1).strip();
    }
}
