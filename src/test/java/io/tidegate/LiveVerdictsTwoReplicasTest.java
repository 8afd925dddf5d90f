package io.tidegate;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tidegate.decision.CostChange;
import io.tidegate.decision.PlanChange;
import io.tidegate.decision.ProjectRef;
import io.tidegate.github.WebhookSignature;
import io.tidegate.review.InboxReviewRequests;
import io.tidegate.store.CostReport;
import io.tidegate.store.Deployment;
import io.tidegate.store.DeploymentStatus;
import io.tidegate.store.DynamoDbLocal;
import io.tidegate.store.DynamoDbStore;
import io.tidegate.store.Store;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import io.tidegate.wiring.Config;
import io.tidegate.wiring.ConfigException;
import io.tidegate.wiring.Server;

/**
 * Two real servers on one DynamoDB (DynamoDB Local over HTTP), one {@link FakeGitHub}, one test
 * clock: a scheduled re-review runs on exactly one replica, a stopped replica's schedule entry
 * is fired by the other, and an apply result releases the lock at once.
 */
@Tag("slow")
class LiveVerdictsTwoReplicasTest {
    static final String REPO = LiveVerdictsEndToEndTest.REPO;
    static final String SHA = LiveVerdictsEndToEndTest.SHA;
    static final String PROD = LiveVerdictsEndToEndTest.PROD;
    static final String TOKEN = "api-token-for-replicas";
    static final ProjectRef PROJECT = LiveVerdictsEndToEndTest.PROJECT;

    @TempDir
    Path dir;
    FakeGitHub github;
    final TestClock clock = new TestClock(LiveVerdictsEndToEndTest.SUNDAY_21_KST);
    Server.Running a;
    Server.Running b;
    String prefix;
    Store store;
    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    final ObjectMapper json = new ObjectMapper();

    @BeforeAll
    static void dummyAwsCredentials() {
        System.setProperty("aws.accessKeyId", "local");
        System.setProperty("aws.secretAccessKey", "local");
    }

    @AfterAll
    static void clearAwsCredentials() {
        System.clearProperty("aws.accessKeyId");
        System.clearProperty("aws.secretAccessKey");
    }

    @BeforeEach
    void start() throws Exception {
        github = new FakeGitHub(SHA);
        github.member("acme/devops-lead", "lead-park");
        github.member("acme/cto", "cto-kim");
        prefix = DynamoDbLocal.freshPrefix();
        a = Server.start(config(prefix, "a"), clock);
        b = Server.start(config(prefix, "b"), clock);
        store = DynamoDbStore.open(DynamoDbStore.clientBuilder("us-east-1",
                Optional.of(DynamoDbLocal.get().endpoint)).build(), prefix, false);
    }

    private Config config(String prefix, String replica) throws ConfigException {
        return Config.from(settings(prefix, replica));
    }

    private Map<String, String> settings(String prefix, String replica) {
        Map<String, String> env = new HashMap<>(Map.of("TIDEGATE_PORT", "0",
                "TIDEGATE_BIND_ADDRESS", "127.0.0.1",
                "TIDEGATE_DATA_DIR", dir.resolve(replica).toString(),
                "TIDEGATE_STORE", "dynamodb", "AWS_REGION", "us-east-1",
                "TIDEGATE_DYNAMODB_ENDPOINT", DynamoDbLocal.get().endpoint.toString(),
                "TIDEGATE_DYNAMODB_TABLE_PREFIX", prefix,
                "TIDEGATE_DYNAMODB_CREATE_TABLES", "true",
                "GITHUB_TOKEN", FakeGitHub.TOKEN, "GITHUB_API_URL", github.base()));
        env.put("GITHUB_WEBHOOK_SECRET", GitHubServer.SECRET);
        env.put("TIDEGATE_API_TOKEN", TOKEN);
        return env;
    }

    @AfterEach
    void stop() {
        for (Server.Running r : new Server.Running[] {a, b}) {
            if (r != null) {
                r.close();
            }
        }
        store.close();
        github.close();
    }

    private void readyButForTheWindow(int number) {
        FakeGitHub.Pr pr = github.pr(REPO, number);
        pr.labels.add("cost-reviewed");
        pr.body = "Adds a VPC.\n\n## Rollback plan\nRevert this PR.\n\n- [x] plan reviewed\n";
        pr.approve("lead-park");
        pr.approve("cto-kim");
        store.costReports().put(new CostReport(REPO, number, SHA, PROJECT,
                new CostChange(Optional.of(new BigDecimal("12.50")),
                        Optional.of(new BigDecimal("100"))),
                PlanChange.ofCounts(Map.of("aws_instance", 1), Map.of(), Map.of()),
                LiveVerdictsEndToEndTest.SUNDAY_21_KST.minusSeconds(3600)));
    }

    private void synchronize(Server.Running to, int number) throws Exception {
        ObjectNode body = json.createObjectNode().put("action", "synchronize");
        body.putObject("repository").put("full_name", REPO);
        body.putObject("sender").put("login", "alice");
        ObjectNode pr = body.putObject("pull_request").put("number", number).put("title", "VPC")
                .put("body", "").put("draft", false).put("merged", false);
        pr.putObject("user").put("login", "alice");
        pr.putArray("labels");
        pr.putObject("base").put("ref", "main").putObject("repo").put("full_name", REPO);
        pr.putObject("head").put("ref", "feature/vpc").put("sha", SHA).putObject("repo")
                .put("full_name", REPO);
        byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(
                "http://127.0.0.1:" + to.port() + "/webhooks/github"))
                .header("Content-Type", "application/json")
                .header("X-GitHub-Event", "pull_request")
                .header("X-GitHub-Delivery", UUID.randomUUID().toString())
                .header(WebhookSignature.HEADER,
                        new WebhookSignature(GitHubServer.SECRET).signatureOf(bytes))
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
    }

    private void awaitStatus(String state, String description) throws Exception {
        GitHubServer.await(state + " " + description, () -> {
            FakeGitHub.Status s = github.statuses(REPO, SHA).get(PROD);
            return s != null && s.state().equals(state) && s.description().equals(description);
        });
    }

    private double timeReviews(Server.Running r) throws Exception {
        String body = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + r.port()
                + "/metrics")).GET().build(), HttpResponse.BodyHandlers.ofString()).body();
        Matcher m = Pattern.compile("tidegate_reviews_total\\{trigger=\"time\"} ([0-9.]+)")
                .matcher(body);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    @Test
    void aScheduledReReviewRunsOnExactlyOneReplica() throws Exception {
        readyButForTheWindow(2);
        synchronize(a, 2);
        awaitStatus("pending", "production-hours is closed at Sun 2026-11-22 21:00 KST");
        GitHubServer.await("the edge", () -> store.schedule().nextDue()
                .equals(Optional.of(LiveVerdictsEndToEndTest.MONDAY_09_KST)));

        clock.set(LiveVerdictsEndToEndTest.MONDAY_09_KST);
        a.clockMoved();
        b.clockMoved();
        awaitStatus("success", "ready to apply");
        GitHubServer.await("both inboxes idle", () -> store.inbox().countPending() == 0);
        assertThat(timeReviews(a) + timeReviews(b)).isEqualTo(1.0);
    }

    @Test
    void aReplicaKilledMidEventAndRestartedWithItsIdResumesTheEventAtOnce() throws Exception {
        a.close();
        a = null;
        b.close();
        b = null;
        readyButForTheWindow(2);
        // replica r1 (TIDEGATE_REPLICA_ID=r1) had claimed PR 2's review when it was killed;
        // the test clock stands still, so without taking its lease back nobody ever would
        new InboxReviewRequests(store.inbox(), store.schedule(), json, clock)
                .request(REPO, 2, "pull request synchronized");
        assertThat(store.inbox().claim("inbox-r1", clock.instant(), Duration.ofSeconds(20)))
                .isPresent();

        Instant restarted = Instant.now();
        Map<String, String> env = new HashMap<>(settings(prefix, "a"));
        env.put("TIDEGATE_REPLICA_ID", "r1");
        a = Server.start(Config.from(env), clock);
        awaitStatus("pending", "production-hours is closed at Sun 2026-11-22 21:00 KST");
        Duration resumed = Duration.between(restarted, Instant.now());
        System.out.println("restarted replica resumed its event after " + resumed);
        assertThat(resumed).isLessThan(Duration.ofSeconds(10));
        GitHubServer.await("inbox idle", () -> store.inbox().countPending() == 0);
    }

    @Test
    void aStoppedReplicasScheduleEntryIsFiredByTheOther() throws Exception {
        readyButForTheWindow(2);
        synchronize(a, 2);
        awaitStatus("pending", "production-hours is closed at Sun 2026-11-22 21:00 KST");
        GitHubServer.await("the edge", () -> store.schedule().nextDue().isPresent());
        a.close();
        a = null;

        clock.set(LiveVerdictsEndToEndTest.MONDAY_09_KST);
        b.clockMoved();
        awaitStatus("success", "ready to apply");
        assertThat(timeReviews(b)).isEqualTo(1.0);
    }

    @Test
    void theLockIsReleasedRightAfterTheApplyResult() throws Exception {
        Instant now = LiveVerdictsEndToEndTest.MONDAY_10_KST;
        clock.set(now);
        String holderSha = LiveVerdictsEndToEndTest.HOLDER_SHA;
        store.locks().acquire("production", REPO + "#42", now, Duration.ofMinutes(30));
        store.deployments().save(new Deployment("d-42", REPO, 42, holderSha, PROJECT.label(),
                "production", "lead1", now, Optional.empty(), DeploymentStatus.RUNNING));
        github.pr(REPO, 42).headSha = holderSha;

        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(
                "http://127.0.0.1:" + b.port() + "/api/v1/atlantis/apply-result"))
                .header("Authorization", "Bearer " + TOKEN)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(
                        AtlantisRunStep.applyResultBody(42, holderSha, true))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.body()).contains("lock on production released");
        assertThat(store.locks().held(now)).isEmpty();
        assertThat(store.deployments().get("d-42").orElseThrow().result())
                .isEqualTo(DeploymentStatus.SUCCEEDED);
    }
}
