package io.tidegate.github;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.tidegate.github.GitHubStub.OLD_SHA;
import static io.tidegate.github.GitHubStub.SHA;
import static io.tidegate.github.GitHubStub.review;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.tidegate.Fixtures;
import io.tidegate.decision.PullRequest;
import io.tidegate.decision.Review;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class GitHubPullRequestsTest {
    private static final String REPO = "acme/infra";
    private static final String PR_URL = "/repos/acme/infra/pulls/7";
    private static final String REVIEWS = PR_URL + "/reviews?per_page=100";
    private static final String REVIEWS_2 = PR_URL + "/reviews?per_page=100&page=2";
    /** The {@code submitted_at} every review of {@link GitHubStub#review} carries. */
    private static final Instant SUBMITTED = Instant.parse("2026-11-22T10:00:00Z");

    private GitHubStub stub;
    private GitHubApi api;
    private GitHubPullRequests prs;

    @BeforeEach
    void start() throws Exception {
        stub = new GitHubStub();
        api = stub.connect(stub.tokenSettings());
        prs = new GitHubPullRequests(api, stub.clock);
        stub.repository(REPO);
    }

    @AfterEach
    void stop() throws Exception {
        api.close();
        stub.close();
    }

    private void standardPullRequest() {
        stub.cachedGet(PR_URL, "\"etag-pr\"", stub.pullRequestJson(REPO, 7, SHA, REPO));
        stub.reviews(REPO, 7,
                List.of(review(1, "bob", "CHANGES_REQUESTED", OLD_SHA),
                        review(2, "bob", "APPROVED", SHA)),
                List.of(review(3, "carol", "COMMENTED", null),
                        review(4, "dave", "DISMISSED", SHA)));
    }

    private static PullRequestFacts expectedFacts() {
        return new PullRequestFacts(new PullRequest(REPO, 7, "main", SHA, "alice", false,
                Set.of("prod", "network"), "Adds the prod VPC", "Add a VPC"),
                "feature/infra-vpc", false, true,
                List.of(new Review("bob", Review.State.CHANGES_REQUESTED, OLD_SHA, SUBMITTED),
                        new Review("bob", Review.State.APPROVED, SHA, SUBMITTED),
                        new Review("carol", Review.State.COMMENTED, "", SUBMITTED),
                        new Review("dave", Review.State.DISMISSED, SHA, SUBMITTED)));
    }

    @Test
    void reviewTimesReadAsOffsetDateTimeReadsThem() {
        for (String t : List.of("2026-11-22T10:00:00Z", "2024-02-29T23:59:59Z",
                "1999-01-01T00:00:00Z", "2026-11-22T10:00:00+09:00", "2026-11-22T10:00:00.123Z",
                "2026-11-22T10:00:00.5-02:30")) {
            assertThat(GitHubPullRequests.instant(t)).as(t)
                    .isEqualTo(java.time.OffsetDateTime.parse(t).toInstant());
        }
        for (String bad : List.of("2026-13-22T10:00:00Z", "2026-02-30T10:00:00Z",
                "2026-11-22T24:00:00Z", "2026-1a-22T10:00:00Z", "yesterday, 10:00:00 o'clock")) {
            assertThatThrownBy(() -> GitHubPullRequests.instant(bad)).as(bad)
                    .isInstanceOf(java.time.DateTimeException.class);
        }
    }

    @Test
    void coldReadGathersThePullRequestAndEveryReviewPageAndNothingElse() throws Exception {
        standardPullRequest();
        assertThat(prs.facts(REPO, 7)).isEqualTo(expectedFacts());
        assertThat(stub.journal()).containsExactly("GET " + PR_URL,
                "GET " + REVIEWS, "GET " + REVIEWS_2);
        // no GET /repos/acme/infra: the PR is not read through hub4j's repository object
        for (LoggedRequest r : stub.requests()) {
            assertThat(r.getHeader("Authorization")).isEqualTo("token " + GitHubStub.TOKEN);
            assertThat(r.getHeader("Accept")).isEqualTo("application/vnd.github+json");
            assertThat(r.getHeader("X-GitHub-Api-Version")).isEqualTo("2022-11-28");
            assertThat(r.containsHeader("If-None-Match")).isFalse();
        }
        assertThat(stub.calls("ok")).isEqualTo(3);
    }

    @Test
    void warmReadOfAnUnchangedPullRequestIsAnswered304AndReadFromMemory() throws Exception {
        standardPullRequest();
        prs.facts(REPO, 7);
        stub.wm.resetRequests();
        assertThat(prs.facts(REPO, 7)).isEqualTo(expectedFacts());
        assertThat(stub.journal()).containsExactly("GET " + PR_URL, "GET " + REVIEWS,
                "GET " + REVIEWS_2);
        assertThat(stub.requests()).extracting(r -> r.getHeader("If-None-Match"))
                .containsExactly("\"etag-pr\"", "\"etag-reviews-1\"", "\"etag-reviews-2\"");
        assertThat(stub.calls("not_modified")).isEqualTo(3);
        assertThat(stub.calls("ok")).isEqualTo(3);
    }

    @Test
    void changedPullRequestIsReadAfreshNeverFromMemory() throws Exception {
        standardPullRequest();
        prs.facts(REPO, 7);
        // A push: GitHub's ETag changes, so the old one is answered with the new PR (200).
        stub.wm.resetMappings();
        stub.cachedGet(PR_URL, "\"etag-pr-2\"", stub.pullRequestJson(REPO, 7, OLD_SHA, REPO));
        stub.cachedGet(REVIEWS, "\"etag-reviews-3\"", "[" + review(5, "erin", "APPROVED",
                OLD_SHA) + "]");
        stub.wm.resetRequests();

        PullRequestFacts changed = prs.facts(REPO, 7);

        assertThat(changed.pullRequest().headSha()).isEqualTo(OLD_SHA);
        assertThat(changed.reviews()).containsExactly(
                new Review("erin", Review.State.APPROVED, OLD_SHA, SUBMITTED));
        assertThat(stub.requests()).extracting(r -> r.getHeader("If-None-Match"))
                .containsExactly("\"etag-pr\"", "\"etag-reviews-1\"");
        // and the new reading is the one kept: unchanged since, it is answered 304
        stub.wm.resetRequests();
        assertThat(prs.facts(REPO, 7)).isEqualTo(changed);
        assertThat(stub.requests()).extracting(r -> r.getHeader("If-None-Match"))
                .containsExactly("\"etag-pr-2\"", "\"etag-reviews-3\"");
    }

    @Test
    void pullRequestGoneSinceTheLastReadIsNotFoundNotTheKeptReading() throws Exception {
        standardPullRequest();
        prs.facts(REPO, 7);
        stub.wm.resetMappings();
        stub.wm.stubFor(get(urlEqualTo(PR_URL)).willReturn(stub.github(404)
                .withBody("{\"message\":\"Not Found\"}")));

        assertThatThrownBy(() -> prs.facts(REPO, 7))
                .isInstanceOfSatisfying(GitHubException.class, e -> assertThat(e.failure())
                        .isEqualTo(GitHubException.Failure.NOT_FOUND));
    }

    @Test
    void answerWithoutAHeadCommitIsABadResponseNotADefault() {
        stub.cachedGet(PR_URL, "\"etag-pr\"", stub.pullRequestJson(REPO, 7, SHA, REPO)
                .replace("\"sha\":\"" + SHA + "\",", ""));
        stub.reviews(REPO, 7, List.of(), List.of());
        assertThatThrownBy(() -> prs.facts(REPO, 7))
                .isInstanceOfSatisfying(GitHubException.class, e -> {
                    assertThat(e.failure()).isEqualTo(GitHubException.Failure.BAD_RESPONSE);
                    assertThat(e.getMessage()).isEqualTo("could not read pull request "
                            + "acme/infra#7: GitHub's answer has no head.sha");
                });
    }

    @Test
    void pendingReviewHasNoSubmissionTime() throws Exception {
        stub.cachedGet(PR_URL, "\"etag-pr\"", stub.pullRequestJson(REPO, 7, SHA, REPO));
        stub.reviews(REPO, 7, List.of(review(1, "bob", "PENDING", SHA)
                .replace("\"submitted_at\":\"2026-11-22T10:00:00Z\"", "\"submitted_at\":null")),
                List.of());
        assertThat(prs.facts(REPO, 7).reviews()).containsExactly(
                new Review("bob", Review.State.PENDING, SHA, Optional.empty()));
    }

    @Test
    void submissionTimeThatIsNotATimeIsABadResponse() {
        stub.cachedGet(PR_URL, "\"etag-pr\"", stub.pullRequestJson(REPO, 7, SHA, REPO));
        stub.reviews(REPO, 7, List.of(review(1, "bob", "APPROVED", SHA)
                .replace("2026-11-22T10:00:00Z", "yesterday")), List.of());
        assertThatThrownBy(() -> prs.facts(REPO, 7))
                .isInstanceOfSatisfying(GitHubException.class, e -> {
                    assertThat(e.failure()).isEqualTo(GitHubException.Failure.BAD_RESPONSE);
                    assertThat(e.getMessage()).isEqualTo("could not read reviews of "
                            + "acme/infra#7: submitted_at 'yesterday' is not an ISO-8601 time");
                });
    }

    @Test
    void anAnswerUnchangedSinceItWasDecodedIsNotDecodedAgain() throws Exception {
        stub.cachedGet(PR_URL, "\"etag-pr\"", stub.pullRequestJson(REPO, 7, SHA, REPO));
        AtomicInteger titles = new AtomicInteger();
        AtomicInteger authors = new AtomicInteger();
        JsonCalls.Decoder<String> title = (body, what) -> {
            titles.incrementAndGet();
            return body.path("title").asText();
        };
        JsonCalls.Decoder<String> author = (body, what) -> {
            authors.incrementAndGet();
            return body.path("user").path("login").asText();
        };
        String auth = api.authorizationForRepo(REPO);

        String first = api.json().get(PR_URL, auth, "read", title).orElseThrow();
        String again = api.json().get(PR_URL, auth, "read", title).orElseThrow();
        // the second answer was GitHub's 304: the kept decoding, the very same object
        assertThat(again).isSameAs(first).isEqualTo("Add a VPC");
        assertThat(titles).hasValue(1);
        assertThat(stub.calls("not_modified")).isEqualTo(1);
        // another decoder of the same answer gets its own decoding, never the first one's
        assertThat(api.json().get(PR_URL, auth, "read", author)).contains("alice");
        assertThat(authors).hasValue(1);

        // a push: a new ETag and a 200, decoded afresh
        stub.wm.resetMappings();
        stub.cachedGet(PR_URL, "\"etag-pr-2\"", stub.pullRequestJson(REPO, 7, SHA, REPO)
                .replace("Add a VPC", "Add two VPCs"));
        assertThat(api.json().get(PR_URL, auth, "read", title)).contains("Add two VPCs");
        assertThat(titles).hasValue(2);
    }

    @Test
    void aFullAnswerIsDecodedEvenUnderTheETagAlreadyDecoded() throws Exception {
        // GitHub may answer 200 in spite of If-None-Match; only its 304 vouches for the body
        stub.wm.stubFor(get(urlEqualTo(PR_URL)).willReturn(stub.github(200)
                .withHeader("ETag", "\"etag-pr\"")
                .withBody(stub.pullRequestJson(REPO, 7, SHA, REPO))));
        AtomicInteger decoded = new AtomicInteger();
        JsonCalls.Decoder<String> title = (body, what) -> {
            decoded.incrementAndGet();
            return body.path("title").asText();
        };
        String auth = api.authorizationForRepo(REPO);

        api.json().get(PR_URL, auth, "read", title);
        api.json().get(PR_URL, auth, "read", title);

        assertThat(decoded).hasValue(2);
    }

    @Test
    void realPullRequestPayloadsDecodeToTheFactsTheyHold() throws Exception {
        // GitHub's own example pull request (the webhook fixtures' pull_request: the same
        // schema, pull-request, as the REST answer), served as GET /repos/{o}/{r}/pulls/{n}
        ObjectMapper json = new ObjectMapper();
        for (String fixture : List.of("pull_request.opened.json", "pull_request.closed.json",
                "pull_request.labeled.json", "pull_request.synchronize.json")) {
            JsonNode pr = json.readTree(Fixtures.bytes("github/" + fixture)).get("pull_request");
            stub.wm.resetMappings();
            stub.cachedGet(PR_URL, "\"" + fixture + "\"", pr.toString());
            stub.reviews(REPO, 7, List.of(), List.of());

            PullRequestFacts facts = prs.facts(REPO, 7);

            PullRequest read = facts.pullRequest();
            assertThat(read.author()).as(fixture).isEqualTo(pr.at("/user/login").asText());
            assertThat(read.headSha()).as(fixture).isEqualTo(pr.at("/head/sha").asText());
            assertThat(read.base()).as(fixture).isEqualTo(pr.at("/base/ref").asText());
            assertThat(facts.headRef()).as(fixture).isEqualTo(pr.at("/head/ref").asText());
            assertThat(read.draft()).as(fixture).isEqualTo(pr.get("draft").booleanValue());
            assertThat(read.title()).as(fixture).isEqualTo(pr.get("title").asText());
            assertThat(read.body()).as(fixture).isEqualTo(pr.get("body").asText());
            List<String> labels = new ArrayList<>();
            pr.get("labels").forEach(l -> labels.add(l.get("name").asText()));
            assertThat(read.labels()).as(fixture).containsExactlyInAnyOrderElementsOf(labels);
            assertThat(facts.open()).as(fixture).isEqualTo(pr.get("state").asText()
                    .equals("open"));
            assertThat(facts.fork()).as(fixture).isEqualTo(!pr.at("/head/repo/full_name")
                    .equals(pr.at("/base/repo/full_name")));
        }
    }

    @Test
    void deletedHeadRepositoryIsAForkAndLeftOutOptionalFieldsAreEmpty() throws Exception {
        // a fork whose repository was deleted: head.repo is null; GitHub leaves out or nulls
        // draft, body and labels where they do not apply
        ObjectMapper json = new ObjectMapper();
        ObjectNode pr = (ObjectNode) json.readTree(stub.pullRequestJson(REPO, 7, SHA, REPO));
        ((ObjectNode) pr.get("head")).putNull("repo");
        pr.remove("draft");
        pr.putNull("body");
        pr.remove("labels");
        pr.put("state", "closed");
        stub.cachedGet(PR_URL, "\"etag-pr\"", pr.toString());
        stub.reviews(REPO, 7, List.of(), List.of());

        PullRequestFacts facts = prs.facts(REPO, 7);

        assertThat(facts.fork()).isTrue();
        assertThat(facts.open()).isFalse();
        assertThat(facts.pullRequest().draft()).isFalse();
        assertThat(facts.pullRequest().body()).isEmpty();
        assertThat(facts.pullRequest().labels()).isEmpty();
    }

    @Test
    void draftThatIsNotTrueOrFalseIsABadResponse() {
        stub.cachedGet(PR_URL, "\"etag-pr\"", stub.pullRequestJson(REPO, 7, SHA, REPO)
                .replace("\"draft\":false", "\"draft\":\"no\""));
        stub.reviews(REPO, 7, List.of(), List.of());
        assertThatThrownBy(() -> prs.facts(REPO, 7))
                .isInstanceOfSatisfying(GitHubException.class, e -> {
                    assertThat(e.failure()).isEqualTo(GitHubException.Failure.BAD_RESPONSE);
                    assertThat(e.getMessage()).isEqualTo("could not read pull request "
                            + "acme/infra#7: GitHub's answer has a draft that is not true or "
                            + "false");
                });
    }

    @Test
    void forkHeadIsReported() throws Exception {
        stub.cachedGet(PR_URL, "\"etag-pr\"", stub.pullRequestJson(REPO, 7, SHA, "mallory/infra"));
        stub.reviews(REPO, 7, List.of(), List.of());
        assertThat(prs.facts(REPO, 7).fork()).isTrue();
    }

    @Test
    void serverErrorsAreRetriedWithBackoffUntilSuccess() throws Exception {
        standardPullRequest();
        stub.wm.stubFor(get(urlEqualTo(PR_URL)).atPriority(0).inScenario("flaky")
                .whenScenarioStateIs(Scenario.STARTED).willReturn(stub.github(502))
                .willSetStateTo("one failure"));
        stub.wm.stubFor(get(urlEqualTo(PR_URL)).atPriority(0).inScenario("flaky")
                .whenScenarioStateIs("one failure").willReturn(stub.github(500))
                .willSetStateTo("recovered"));
        assertThat(prs.facts(REPO, 7)).isEqualTo(expectedFacts());
        assertThat(stub.journal()).containsExactly("GET " + PR_URL,
                "GET " + PR_URL, "GET " + PR_URL, "GET " + REVIEWS, "GET " + REVIEWS_2);
        assertThat(stub.calls("server_error")).isEqualTo(2);
    }

    @Test
    void persistentServerErrorsGiveUpAfterTheRetriesAndSaySo() {
        standardPullRequest();
        stub.wm.stubFor(get(urlEqualTo(PR_URL)).atPriority(0).willReturn(stub.github(503)
                .withBody("{\"message\":\"Service Unavailable\"}")));
        assertThatThrownBy(() -> prs.facts(REPO, 7))
                .isInstanceOfSatisfying(GitHubException.class, e -> {
                    assertThat(e.failure()).isEqualTo(GitHubException.Failure.SERVER_ERROR);
                    assertThat(e.isRetryable()).isTrue();
                    assertThat(e.getMessage())
                            .isEqualTo("could not read pull request acme/infra#7: HTTP 503: Service Unavailable");
                });
        assertThat(stub.journal()).containsExactly("GET " + PR_URL,
                "GET " + PR_URL, "GET " + PR_URL);
    }

    @Test
    void slowAnswersTimeOutAfterBoundedRetries() throws Exception {
        standardPullRequest();
        prs.facts(REPO, 7); // warm the JVM and WireMock, so only the stubbed delay is slow
        stub.wm.resetRequests();
        stub.wm.stubFor(get(urlEqualTo(REVIEWS)).atPriority(0)
                .willReturn(stub.github(200).withBody("[]").withFixedDelay(4000)));
        GitHubApi impatientApi = stub.connect(stub.tokenSettings()
                .withTimeouts(Duration.ofMillis(1500), Duration.ofSeconds(30)));
        GitHubPullRequests impatient = new GitHubPullRequests(impatientApi, stub.clock);
        assertThatThrownBy(() -> impatient.facts(REPO, 7))
                .isInstanceOfSatisfying(GitHubException.class, e -> {
                    assertThat(e.failure()).isEqualTo(GitHubException.Failure.TIMEOUT);
                    assertThat(e.getMessage()).startsWith(
                            "could not read reviews of acme/infra#7: timed out");
                });
        assertThat(stub.journal()).containsExactly("GET " + PR_URL,
                "GET " + REVIEWS, "GET " + REVIEWS, "GET " + REVIEWS);
        assertThat(stub.calls("io_error")).isEqualTo(3);
        impatientApi.close();
    }

    @Test
    void brokenConnectionsAreRetriedThenReportedUnreachable() {
        standardPullRequest();
        stub.wm.stubFor(get(urlEqualTo(PR_URL)).atPriority(0)
                .willReturn(stub.github(200).withFault(Fault.CONNECTION_RESET_BY_PEER)));
        assertThatThrownBy(() -> prs.facts(REPO, 7))
                .isInstanceOfSatisfying(GitHubException.class, e -> assertThat(e.failure())
                        .isEqualTo(GitHubException.Failure.UNREACHABLE));
        assertThat(stub.journal()).filteredOn(l -> l.equals("GET " + PR_URL)).hasSize(3);
    }

    @Test
    void callTimeoutBoundsAllRetriesAndWaits() throws Exception {
        standardPullRequest();
        stub.wm.stubFor(get(urlEqualTo(PR_URL)).atPriority(0).willReturn(stub.github(503)));
        GitHubSettings patientRetries = stub.tokenSettings()
                .withTimeouts(Duration.ofSeconds(10), Duration.ofMillis(1500))
                .withRetries(10, Duration.ofMillis(400), Duration.ofSeconds(2));
        try (GitHubApi bounded = stub.connect(patientRetries)) {
            assertThatThrownBy(() -> new GitHubPullRequests(bounded, stub.clock).facts(REPO, 7))
                    .isInstanceOfSatisfying(GitHubException.class, e -> assertThat(e.failure())
                            .isEqualTo(GitHubException.Failure.TIMEOUT));
        }
        // 400 + 800 ms of backoff already reach the 1.5 s call timeout: far fewer than 11 tries.
        assertThat(stub.journal()).filteredOn(l -> l.equals("GET " + PR_URL)).hasSizeLessThan(5);
    }

    @Test
    void enterpriseApiUrlWithAPathPrefixIsHonoured() throws Exception {
        String prefix = "/api/v3";
        stub.cachedGet(prefix + PR_URL, "\"p\"", stub.pullRequestJson(REPO, 7, SHA, REPO));
        stub.cachedGet(prefix + REVIEWS, "\"v\"", "[" + review(1, "bob", "APPROVED", SHA) + "]");
        GitHubSettings enterprise = new GitHubSettings(
                URI.create(stub.base() + prefix + "/"), stub.tokenSettings().credentials(),
                1_000_000, Duration.ofSeconds(10), Duration.ofSeconds(20), 0,
                Duration.ofMillis(10), Duration.ofSeconds(1), Duration.ofMinutes(1), 100);
        try (GitHubApi ghe = stub.connect(enterprise)) {
            assertThat(new GitHubPullRequests(ghe, stub.clock).facts(REPO, 7).reviews())
                    .containsExactly(new Review("bob", Review.State.APPROVED, SHA, SUBMITTED));
        }
        assertThat(stub.journal()).containsExactly("GET /api/v3" + PR_URL,
                "GET /api/v3" + REVIEWS);
    }

    @Test
    void exhaustedRateLimitFailsAtOnceAndLaterCallsCostNothingUntilReset() {
        standardPullRequest();
        long reset = stub.clock.instant().plusSeconds(1800).getEpochSecond();
        stub.wm.stubFor(get(urlEqualTo(PR_URL)).atPriority(0).willReturn(stub.github(403)
                .withHeader("X-RateLimit-Remaining", "0")
                .withHeader("X-RateLimit-Reset", Long.toString(reset))
                .withBody("{\"message\":\"API rate limit exceeded for user ID 1.\"}")));
        assertThatThrownBy(() -> prs.facts(REPO, 7))
                .isInstanceOfSatisfying(GitHubException.class, e -> {
                    assertThat(e.failure()).isEqualTo(GitHubException.Failure.RATE_LIMITED);
                    assertThat(e.getMessage()).isEqualTo("could not read pull request "
                            + "acme/infra#7: GitHub rate limit: retry after "
                            + "2026-11-23T01:30:01Z (HTTP 403)");
                });
        assertThat(stub.journal()).containsExactly("GET " + PR_URL);
        stub.wm.resetRequests();
        assertThatThrownBy(() -> prs.facts(REPO, 7)).hasMessage("could not read pull request "
                + "acme/infra#7: GitHub rate limit exhausted until 2026-11-23T01:30:00Z");
        assertThat(stub.journal()).isEmpty();
        assertThat(stub.calls("refused_rate_limited")).isEqualTo(1);
        assertThat(stub.registry.get(ApiCallMeter.REMAINING).gauge().value()).isZero();
    }

    @Test
    void shortRetryAfterIsWaitedOut() throws Exception {
        standardPullRequest();
        stub.wm.stubFor(get(urlEqualTo(PR_URL)).atPriority(0).inScenario("secondary")
                .whenScenarioStateIs(Scenario.STARTED).willReturn(stub.github(429)
                        .withHeader("Retry-After", "1")
                        .withBody("{\"message\":\"You have exceeded a secondary rate limit.\"}"))
                .willSetStateTo("waited"));
        assertThat(prs.facts(REPO, 7)).isEqualTo(expectedFacts());
        assertThat(stub.journal()).containsExactly("GET " + PR_URL,
                "GET " + PR_URL, "GET " + REVIEWS, "GET " + REVIEWS_2);
        assertThat(stub.calls("rate_limited")).isEqualTo(1);
    }

    @Test
    void secondaryLimitWithoutRetryAfterWaitsAMinuteSoFailsFast() {
        standardPullRequest();
        stub.wm.stubFor(get(urlEqualTo(PR_URL)).atPriority(0).willReturn(stub.github(403)
                .withBody("{\"message\":\"You have exceeded a secondary rate limit.\"}")));
        assertThatThrownBy(() -> prs.facts(REPO, 7))
                .isInstanceOfSatisfying(GitHubException.class, e -> assertThat(e.failure())
                        .isEqualTo(GitHubException.Failure.RATE_LIMITED));
        assertThat(stub.journal()).containsExactly("GET " + PR_URL);
    }

    @Test
    void missingPullRequestIsNotFoundWithoutRetry() {
        stub.wm.stubFor(get(urlEqualTo("/repos/acme/infra/pulls/404")).willReturn(stub
                .github(404).withBody("{\"message\":\"Not Found\"}")));
        assertThatThrownBy(() -> prs.facts(REPO, 404))
                .isInstanceOfSatisfying(GitHubException.class, e -> {
                    assertThat(e.failure()).isEqualTo(GitHubException.Failure.NOT_FOUND);
                    assertThat(e.isRetryable()).isFalse();
                    assertThat(e.getMessage())
                            .isEqualTo("could not read pull request acme/infra#404: HTTP 404");
                });
        assertThat(stub.journal()).containsExactly("GET /repos/acme/infra/pulls/404");
    }

    @Test
    void badCredentialsAreUnauthorized() {
        stub.wm.stubFor(get(urlEqualTo(PR_URL)).atPriority(0).willReturn(stub.github(401)
                .withBody("{\"message\":\"Bad credentials\"}")));
        assertThatThrownBy(() -> prs.facts(REPO, 7))
                .isInstanceOfSatisfying(GitHubException.class, e -> assertThat(e.failure())
                        .isEqualTo(GitHubException.Failure.UNAUTHORIZED));
    }

    @Test
    void rejectsRepositoryNamesThatAreNotOwnerSlashName() {
        assertThatThrownBy(() -> prs.facts("acme/infra/../x", 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("repo must be owner/name, got 'acme/infra/../x'");
        assertThat(stub.journal()).isEmpty();
    }

    private void membership(String team, String login, int status, String state) {
        String org = team.substring(0, team.indexOf('/'));
        String slug = team.substring(team.indexOf('/') + 1);
        String url = "/orgs/" + org + "/teams/" + slug + "/memberships/" + login;
        if (status == 200) {
            stub.cachedGet(url, "\"m-" + slug + "-" + login + "\"",
                    "{\"url\":\"x\",\"role\":\"member\",\"state\":\"" + state + "\"}");
        } else {
            stub.wm.stubFor(get(urlEqualTo(url)).willReturn(stub.github(status)
                    .withBody("{\"message\":\"Not Found\"}")));
        }
    }

    @Test
    void onlyActiveMembershipsCountAndEveryLoginIsAnswered() throws Exception {
        membership("acme/devops-lead", "bob", 200, "active");
        membership("acme/cto", "bob", 200, "pending");
        membership("acme/devops-lead", "carol", 404, null);
        membership("acme/cto", "carol", 200, "active");
        Map<String, Set<String>> teams = prs.teams(Set.of("bob", "carol"),
                Set.of("acme/devops-lead", "acme/cto"));
        assertThat(teams).isEqualTo(Map.of("bob", Set.of("acme/devops-lead"),
                "carol", Set.of("acme/cto")));
        assertThat(stub.journal()).hasSize(4).allMatch(l -> l.startsWith("GET /orgs/acme/teams/"));
        assertThat(stub.journal()).contains("GET /orgs/acme/teams/devops-lead/memberships/bob");
    }

    @Test
    void membershipsAreCachedForTheTtlThenAskedAgain() throws Exception {
        membership("acme/cto", "bob", 200, "active");
        prs.teams(Set.of("bob"), Set.of("acme/cto"));
        prs.teams(Set.of("bob"), Set.of("acme/cto"));
        assertThat(stub.journal()).hasSize(1);
        stub.clock.advance(Duration.ofMinutes(11));
        assertThat(prs.teams(Set.of("bob"), Set.of("acme/cto")))
                .isEqualTo(Map.of("bob", Set.of("acme/cto")));
        assertThat(stub.journal()).hasSize(2);
        assertThat(stub.requests().get(1).getHeader("If-None-Match")).isEqualTo("\"m-cto-bob\"");
    }

    @Test
    void membershipWebhookForgetsOnlyWhatItConcerns() throws Exception {
        membership("acme/cto", "bob", 200, "active");
        membership("acme/cto", "carol", 404, null);
        membership("acme/sre", "bob", 404, null);
        Set<String> teams = Set.of("acme/cto", "acme/sre");
        prs.teams(Set.of("bob", "carol"), teams);
        stub.wm.resetRequests();
        // The webhook spells names as GitHub stores them; the policy may spell them otherwise.
        prs.invalidate(new WebhookEvent.MembershipChange("d", "membership", "removed", "Acme",
                Optional.of("Acme/cto"), Optional.of("Bob")));
        prs.teams(Set.of("bob", "carol"), teams);
        assertThat(stub.journal()).containsExactly("GET /orgs/acme/teams/cto/memberships/bob");
        stub.wm.resetRequests();
        prs.invalidate(new WebhookEvent.MembershipChange("d", "organization", "member_removed",
                "acme", Optional.empty(), Optional.of("bob")));
        prs.teams(Set.of("bob", "carol"), teams);
        assertThat(stub.journal()).containsExactlyInAnyOrder(
                "GET /orgs/acme/teams/cto/memberships/bob",
                "GET /orgs/acme/teams/sre/memberships/bob");
    }

    @Test
    void membershipThatCannotBeReadFailsInsteadOfGuessing() {
        membership("acme/cto", "bob", 500, null);
        assertThatThrownBy(() -> prs.teams(Set.of("bob"), Set.of("acme/cto")))
                .isInstanceOfSatisfying(GitHubException.class, e -> {
                    assertThat(e.failure()).isEqualTo(GitHubException.Failure.SERVER_ERROR);
                    assertThat(e.getMessage()).isEqualTo("could not read membership of bob in "
                            + "team acme/cto: HTTP 500: Not Found");
                });
        assertThat(stub.journal()).hasSize(3);
    }

    @Test
    void teamChangeWithoutLoginForgetsEveryoneInThatTeam() throws Exception {
        membership("acme/cto", "bob", 200, "active");
        membership("acme/cto", "carol", 404, null);
        membership("acme/sre", "bob", 404, null);
        Set<String> teams = Set.of("acme/cto", "acme/sre");
        prs.teams(Set.of("bob", "carol"), teams);
        stub.wm.resetRequests();
        prs.invalidate(new WebhookEvent.MembershipChange("d", "team", "deleted", "acme",
                Optional.of("acme/cto"), Optional.empty()));
        prs.teams(Set.of("bob", "carol"), teams);
        assertThat(stub.journal()).containsExactly("GET /orgs/acme/teams/cto/memberships/bob",
                "GET /orgs/acme/teams/cto/memberships/carol");
    }

    @Test
    void concurrentReadsOfOnePullRequestAllGetTheSameFacts() throws Exception {
        standardPullRequest();
        ExecutorService pool =
                Executors.newFixedThreadPool(8);
        try {
            List<Future<PullRequestFacts>> answers = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                answers.add(pool.submit(() -> prs.facts(REPO, 7)));
            }
            for (Future<PullRequestFacts> answer : answers) {
                assertThat(answer.get()).isEqualTo(expectedFacts());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void concurrentTreeReadsOfOneCommitAskGitHubOnce() throws Exception {
        String tree = "9c68bc3e3ec3f1b7b2b9e2f2b4c5d6e7f8091a2b";
        stub.wm.stubFor(get(urlEqualTo("/repos/acme/infra/git/commits/" + SHA))
                .willReturn(stub.github(200).withFixedDelay(300).withBody("{\"sha\":\"" + SHA
                        + "\",\"tree\":{\"sha\":\"" + tree + "\",\"url\":\"x\"}}")));
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<String>> answers = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                answers.add(pool.submit(() -> prs.commitTree(REPO, SHA)));
            }
            for (Future<String> answer : answers) {
                assertThat(answer.get()).isEqualTo(tree);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(prs.commitTree(REPO, SHA)).isEqualTo(tree);
        assertThat(stub.journal()).containsExactly("GET /repos/acme/infra/git/commits/" + SHA);
    }

    @Test
    void impossibleLoginsAreInNoTeamWithoutAsking() throws Exception {
        assertThat(prs.teams(Set.of("../admin", ""), Set.of("acme/cto")))
                .isEqualTo(Map.of("../admin", Set.of(), "", Set.of()));
        assertThat(stub.journal()).isEmpty();
    }
}
