package io.tidegate;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tidegate.decision.CostChange;
import io.tidegate.decision.Override;
import io.tidegate.decision.PlanChange;
import io.tidegate.decision.ProjectRef;
import io.tidegate.github.WebhookSignature;
import io.tidegate.store.CostReport;
import io.tidegate.store.Deployment;
import io.tidegate.store.DeploymentStatus;
import io.tidegate.store.OverrideRecord;
import io.tidegate.store.SqliteStore;
import io.tidegate.store.Store;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import io.tidegate.secret.Secret;
import io.tidegate.wiring.Config;
import io.tidegate.wiring.Server;

/**
 * Issue 12 end to end: the real server over HTTP, GitHub played by {@link FakeGitHub}, a test
 * clock. A PR's {@code tidegate/production} status follows time (windows, overrides), other
 * PRs (a lock released by an apply result), {@code atlantis apply} comments, a restart and a
 * policy reload, with no event of the PR itself. The test clock has no timer of its own:
 * after moving it the test says so ({@link Server.Running#clockMoved}), as a real clock's timer
 * would fire by itself.
 */
@Tag("slow")
class LiveVerdictsEndToEndTest {
    static final String REPO = "acme/infra";
    static final String SHA = "ec26c3e57ca3a959ca5aad62de7213c562f8c821";
    static final String HOLDER_SHA = "6dcb09b5b57875f334f61aebed695e2e4193db5e";
    static final String PROD = "tidegate/production";
    static final String TOKEN = "api-token-for-live-tests";
    static final ProjectRef PROJECT = new ProjectRef("prod-environment", "environments/prod",
            "prod");
    /** Sunday 2026-11-22 21:00 KST: production-hours is closed until Monday 09:00. */
    static final Instant SUNDAY_21_KST = Instant.parse("2026-11-22T12:00:00Z");
    static final Instant MONDAY_09_KST = Instant.parse("2026-11-23T00:00:00Z");
    static final Instant MONDAY_10_KST = Instant.parse("2026-11-23T01:00:00Z");
    static final Instant MONDAY_17_KST = Instant.parse("2026-11-23T08:00:00Z");

    @TempDir
    Path dir;
    Path policy;
    FakeGitHub github;
    TestClock clock;
    Server.Running running;
    Store store;
    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    final WebhookSignature signature = new WebhookSignature(GitHubServer.SECRET);
    final ObjectMapper json = new ObjectMapper();

    @BeforeEach
    void start() throws Exception {
        github = new FakeGitHub(SHA);
        clock = new TestClock(SUNDAY_21_KST);
        policy = dir.resolve("policy.yaml");
        Files.copy(Path.of("policies/policy.yaml"), policy);
        Files.createDirectories(dir.resolve("data"));
        startServer();
        store = SqliteStore.openIn(dir.resolve("data"));
        github.member("acme/devops-lead", "lead-park");
        github.member("acme/cto", "cto-kim");
    }

    private void startServer() throws Exception {
        running = Server.start(new Config(
                new Config.Server("127.0.0.1", 0, Duration.ofSeconds(5), Config.LogFormat.TEXT,
                        new Secret(TOKEN), false),
                policy,
                new Config.GitHub(new Config.GitHubAuth.Token(new Secret(FakeGitHub.TOKEN)),
                        URI.create(github.base()), new Secret(GitHubServer.SECRET)),
                new Config.Storage(Config.StoreKind.SQLITE, dir.resolve("data"), "us-east-1",
                        Optional.empty(), false, "tidegate"),
                Secret.ABSENT, false), clock);
    }

    @AfterEach
    void stop() {
        if (running != null) {
            running.close();
        }
        store.close();
        github.close();
    }

    /** A production PR meeting everything but the window (and the lock, if another holds it). */
    private void readyButForTime(int number, String sha) {
        FakeGitHub.Pr pr = github.pr(REPO, number);
        pr.headSha = sha;
        pr.labels.add("cost-reviewed");
        pr.body = "Adds a VPC.\n\n## Rollback plan\nRevert this PR.\n\n- [x] plan reviewed\n";
        pr.approve("lead-park");
        pr.approve("cto-kim");
        store.costReports().put(new CostReport(REPO, number, sha, PROJECT,
                new CostChange(Optional.of(new BigDecimal("12.50")),
                        Optional.of(new BigDecimal("100"))),
                PlanChange.ofCounts(Map.of("aws_instance", 1), Map.of(), Map.of()),
                SUNDAY_21_KST.minusSeconds(3600)));
    }

    // ---- webhooks, as GitHub sends them (only the fields Tidegate reads) ----------------

    private void send(String event, ObjectNode body) throws Exception {
        byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri("/webhooks/github"))
                .header("Content-Type", "application/json").header("X-GitHub-Event", event)
                .header("X-GitHub-Delivery", UUID.randomUUID().toString())
                .header(WebhookSignature.HEADER, signature.signatureOf(bytes))
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
    }

    private void synchronize(int number, String sha) throws Exception {
        ObjectNode b = json.createObjectNode().put("action", "synchronize");
        b.putObject("repository").put("full_name", REPO);
        b.putObject("sender").put("login", "alice");
        ObjectNode pr = b.putObject("pull_request").put("number", number).put("title", "VPC")
                .put("body", "").put("draft", false).put("merged", false);
        pr.putObject("user").put("login", "alice");
        pr.putArray("labels");
        pr.putObject("base").put("ref", "main").putObject("repo").put("full_name", REPO);
        pr.putObject("head").put("ref", "feature/vpc").put("sha", sha).putObject("repo")
                .put("full_name", REPO);
        send("pull_request", b);
    }

    private void comment(int number, String login, String text) throws Exception {
        ObjectNode b = json.createObjectNode().put("action", "created");
        b.putObject("repository").put("full_name", REPO);
        b.putObject("sender").put("login", login);
        b.putObject("issue").put("number", number).putObject("pull_request")
                .put("url", github.base() + "/repos/" + REPO + "/pulls/" + number);
        ObjectNode c = b.putObject("comment").put("id", 9001).put("body", text);
        c.putObject("user").put("login", login).put("type", "User");
        send("issue_comment", b);
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + running.port() + path);
    }

    private JsonNode schedule() throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri("/api/v1/schedule"))
                .header("Authorization", "Bearer " + TOKEN).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return json.readTree(r.body());
    }

    private Optional<FakeGitHub.Status> status(String sha) {
        return Optional.ofNullable(github.statuses(REPO, sha).get(PROD));
    }

    private void awaitStatus(String sha, String state, String description) throws Exception {
        GitHubServer.await(state + " " + description, () -> status(sha)
                .map(s -> s.state().equals(state) && s.description().equals(description))
                .orElse(false));
    }

    private void awaitEdge(int number, String at, String why) throws Exception {
        GitHubServer.await("edge " + at + " " + why, () -> {
            try {
                for (JsonNode e : schedule().path("edges")) {
                    if (e.path("number").asInt() == number && e.path("at").asText().equals(at)
                            && e.path("why").asText().equals(why)) {
                        return true;
                    }
                }
                return false;
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
    }

    private void moveClockTo(Instant at) {
        clock.set(at);
        running.clockMoved();
    }

    /**
     * No fact read from GitHub since the journal was reset: not the reviews, not a membership
     * (the writer's own look at the PR before editing its comment is a write's, not a fact).
     */
    private void assertNoFactReadFromGitHub(int number) {
        assertThat(github.journal()).noneMatch(l -> l.startsWith("GET /repos/" + REPO + "/pulls/"
                + number + "/reviews") || l.contains("/memberships/"));
    }

    // ---- the scenarios -----------------------------------------------------------------

    @Test
    void theWindowOpeningTurnsAPendingStatusGreenWithNoPullRequestEventAndNoGitHubRead()
            throws Exception {
        readyButForTime(2, SHA);
        synchronize(2, SHA);
        awaitStatus(SHA, "pending", "production-hours is closed at Sun 2026-11-22 21:00 KST");
        awaitEdge(2, "2026-11-23T00:00:00Z", "production-hours opens");
        JsonNode edge = schedule().path("edges").get(0);
        assertThat(edge.path("pullRequest").asText()).isEqualTo("acme/infra#2");
        assertThat(edge.path("environment").asText()).isEqualTo("production");

        github.resetJournal();
        moveClockTo(MONDAY_09_KST);
        awaitStatus(SHA, "success", "ready to apply");
        assertNoFactReadFromGitHub(2);
        // what the time-triggered review cost: the edited comment and the new status only
        assertThat(github.journal()).containsExactly(
                "GET /repos/acme/infra/pulls/2",
                "GET /repos/acme/infra/issues/2/comments?per_page=100",
                "PATCH /repos/acme/infra/issues/comments/1000",
                "GET /repos/acme/infra/commits/" + SHA + "/status?per_page=100",
                "POST /repos/acme/infra/statuses/" + SHA);
        // the next edge is the window closing at 17:00 KST
        awaitEdge(2, "2026-11-23T08:00:00Z", "production-hours closes");
        assertThat(metrics()).contains("tidegate_reviews_total{trigger=\"time\"} 1.0",
                "tidegate_reviews_total{trigger=\"event\"} 1.0");
    }

    @Test
    void theWindowClosingTurnsAGreenStatusPending() throws Exception {
        clock.set(MONDAY_10_KST);
        readyButForTime(2, SHA);
        synchronize(2, SHA);
        awaitStatus(SHA, "success", "ready to apply");
        awaitEdge(2, "2026-11-23T08:00:00Z", "production-hours closes");

        moveClockTo(MONDAY_17_KST);
        awaitStatus(SHA, "pending", "production-hours is closed at Mon 2026-11-23 17:00 KST");
        awaitEdge(2, "2026-11-24T00:00:00Z", "production-hours opens");
    }

    @Test
    void anOverrideExpiringTurnsAGreenStatusPending() throws Exception {
        readyButForTime(2, SHA);
        store.overrides().add(new OverrideRecord(REPO, 2, "production",
                new Override("lead-park", SHA, SUNDAY_21_KST, "hotfix"),
                SUNDAY_21_KST.plus(Duration.ofHours(2))));
        synchronize(2, SHA);
        awaitStatus(SHA, "success", "ready to apply (window lifted by an override)");
        awaitEdge(2, "2026-11-22T14:00:00Z", "lead-park's override expires");

        moveClockTo(SUNDAY_21_KST.plus(Duration.ofHours(2)));
        awaitStatus(SHA, "pending", "production-hours is closed at Sun 2026-11-22 23:00 KST");
    }

    @Test
    void aLockReleasedByAnotherPullRequestsApplyResultTurnsTheWaitingOneGreenWithinSeconds()
            throws Exception {
        clock.set(MONDAY_10_KST);
        readyButForTime(43, SHA);
        // PR 42's apply is running: the gate took the lock and started its deployment
        github.pr(REPO, 42).headSha = HOLDER_SHA;
        store.locks().acquire("production", REPO + "#42", MONDAY_10_KST, Duration.ofMinutes(30));
        store.deployments().save(new Deployment("d-42", REPO, 42, HOLDER_SHA, PROJECT.label(),
                "production", "lead1", MONDAY_10_KST, Optional.empty(),
                DeploymentStatus.RUNNING));
        synchronize(43, SHA);
        awaitStatus(SHA, "pending", "production is locked by acme/infra#42: one apply at a time");
        awaitEdge(43, "2026-11-23T01:30:00Z", "the lock of acme/infra#42 expires");

        github.resetJournal();
        clock.advance(Duration.ofMinutes(3));
        Instant sent = Instant.now();
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(
                uri("/api/v1/atlantis/apply-result")).header("Authorization", "Bearer " + TOKEN)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(
                        AtlantisRunStep.applyResultBody(42, HOLDER_SHA, true))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        awaitStatus(SHA, "success", "ready to apply");
        assertThat(Duration.between(sent, Instant.now())).isLessThan(Duration.ofSeconds(10));
        assertNoFactReadFromGitHub(43);
        assertThat(metrics()).contains("tidegate_reviews_total{trigger=\"lock\"} 1.0");
    }

    /** What the hook posts before {@code atlantis apply -p prod-environment} on {@code pr}. */
    private HttpResponse<String> gate(int number, String sha, String user) throws Exception {
        String body = json.createObjectNode().put("command", "apply")
                .put("base_repo_owner", "acme").put("base_repo_name", "infra")
                .put("head_repo_owner", "acme").put("head_repo_name", "infra")
                .put("head_branch_name", "feature/infra-" + number)
                .put("base_branch_name", "main").put("pull_num", Integer.toString(number))
                .put("pull_author", "alice")
                .put("pull_url", "https://github.com/acme/infra/pull/" + number)
                .put("head_commit", sha).put("project_name", PROJECT.name())
                .put("dir", "/atlantis-data/repos/acme/infra/" + number + "/prod/environments/prod")
                .put("repo_rel_dir", PROJECT.dir()).put("workspace", PROJECT.workspace())
                .put("user_name", user).put("comment_args", "").toString();
        return http.send(HttpRequest.newBuilder(uri("/api/v1/atlantis/gate"))
                .header("Authorization", "Bearer " + TOKEN)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aLockTakenByAnotherPullRequestsApplyTurnsTheGreenOnesPendingWithinSeconds()
            throws Exception {
        clock.set(MONDAY_10_KST);
        readyButForTime(42, HOLDER_SHA);
        readyButForTime(43, SHA);
        synchronize(43, SHA);
        awaitStatus(SHA, "success", "ready to apply");

        github.resetJournal();
        Instant sent = Instant.now();
        HttpResponse<String> r = gate(42, HOLDER_SHA, "lead-park");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(store.locks().held(MONDAY_10_KST)).singleElement()
                .satisfies(l -> assertThat(l.owner()).isEqualTo(REPO + "#42"));
        awaitStatus(SHA, "pending", "production is locked by acme/infra#42: one apply at a time");
        assertThat(Duration.between(sent, Instant.now())).isLessThan(Duration.ofSeconds(10));
        assertNoFactReadFromGitHub(43);
        assertThat(metrics()).contains("tidegate_reviews_total{trigger=\"locked\"} 1.0");
        // and PR 43 now waits for the lock: its TTL is its next edge (policy: lock_ttl 30m)
        awaitEdge(43, "2026-11-23T01:30:00Z", "the lock of acme/infra#42 expires");
    }

    @Test
    void aLockWhoseTtlRunsOutWithNoApplyResultTurnsTheWaitingOneGreenAtTheTtl()
            throws Exception {
        clock.set(MONDAY_10_KST);
        readyButForTime(43, SHA);
        // PR 42's apply took the lock and then Atlantis never reported a result
        github.pr(REPO, 42).headSha = HOLDER_SHA;
        store.locks().acquire("production", REPO + "#42", MONDAY_10_KST, Duration.ofMinutes(30));
        synchronize(43, SHA);
        awaitStatus(SHA, "pending", "production is locked by acme/infra#42: one apply at a time");
        awaitEdge(43, "2026-11-23T01:30:00Z", "the lock of acme/infra#42 expires");

        github.resetJournal();
        moveClockTo(MONDAY_10_KST.plus(Duration.ofMinutes(30)));
        awaitStatus(SHA, "success", "ready to apply");
        assertNoFactReadFromGitHub(43);
        assertThat(metrics()).contains("tidegate_reviews_total{trigger=\"time\"} 1.0");
    }

    @Test
    void anAtlantisApplyCommentRefreshesAStaleStatus() throws Exception {
        readyButForTime(2, SHA);
        synchronize(2, SHA);
        awaitStatus(SHA, "pending", "production-hours is closed at Sun 2026-11-22 21:00 KST");
        // made stale on purpose: no edge left to fire, and the window is open now
        store.schedule().remove(REPO, 2);
        clock.set(MONDAY_10_KST);

        comment(2, "lead-park", "atlantis apply -p prod-environment");
        awaitStatus(SHA, "success", "ready to apply");
        assertThat(metrics()).contains("tidegate_reviews_total{trigger=\"command\"} 1.0");
    }

    @Test
    void aRestartRebuildsTheScheduleFromTheStore() throws Exception {
        readyButForTime(2, SHA);
        synchronize(2, SHA);
        awaitStatus(SHA, "pending", "production-hours is closed at Sun 2026-11-22 21:00 KST");
        awaitEdge(2, "2026-11-23T00:00:00Z", "production-hours opens");

        running.close();
        running = null;
        clock.set(MONDAY_09_KST);
        startServer();
        awaitStatus(SHA, "success", "ready to apply");
        awaitEdge(2, "2026-11-23T08:00:00Z", "production-hours closes");
    }

    @Test
    void aPolicyReloadThatMovesTheWindowMovesTheEdge() throws Exception {
        readyButForTime(2, SHA);
        synchronize(2, SHA);
        awaitEdge(2, "2026-11-23T00:00:00Z", "production-hours opens");

        Files.writeString(policy, Files.readString(policy).replace(
                "{ days: [mon, tue, wed, thu], from: \"09:00\", to: \"17:00\" }",
                "{ days: [mon, tue, wed, thu], from: \"10:00\", to: \"17:00\" }"));
        // the policy holder looks at the file at most every 5 s of the server's clock
        moveClockTo(SUNDAY_21_KST.plusSeconds(10));
        awaitEdge(2, "2026-11-23T01:00:00Z", "production-hours opens");
        assertThat(schedule().path("edges")).hasSize(1);
    }

    @Test
    void theScheduleNeedsTheApiToken() throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri("/api/v1/schedule"))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(401);
    }

    private String metrics() throws Exception {
        return http.send(HttpRequest.newBuilder(uri("/metrics")).GET().build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }
}
