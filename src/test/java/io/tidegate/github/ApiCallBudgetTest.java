package io.tidegate.github;

import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.tidegate.github.GitHubStub.OLD_SHA;
import static io.tidegate.github.GitHubStub.SHA;
import static io.tidegate.github.GitHubStub.review;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What one re-evaluation of a PR costs in GitHub API calls: gather the facts, the team
 * memberships of author and reviewers, then write the sticky comment and one status. The
 * figures asserted here are the ones reported for issue 5.
 */
class ApiCallBudgetTest {
    private static final String REPO = "acme/infra";
    private static final String MARKER = "<!-- tidegate:summary -->";
    private static final Set<String> TEAMS = Set.of("acme/devops-lead", "acme/cto");
    private static final CommitStatus STATUS = CommitStatus.of("production",
            CommitStatus.State.PENDING, "needs 1 more approval from devops-lead or cto",
            Optional.empty());

    private GitHubStub stub;
    private GitHubApi api;
    private GitHubPullRequests prs;
    private GitHubPullRequestWriter writer;

    @BeforeEach
    void start() throws Exception {
        stub = new GitHubStub();
        api = stub.connect(stub.tokenSettings());
        prs = new GitHubPullRequests(api, stub.clock);
        writer = new GitHubPullRequestWriter(api);
        stub.repository(REPO);
        stub.cachedGet("/repos/acme/infra/pulls/7", "\"pr\"",
                stub.pullRequestJson(REPO, 7, SHA, REPO));
        stub.cachedGet("/user", "\"u\"", "{\"login\":\"tidegate[bot]\",\"id\":1}");
        stub.reviews(REPO, 7, List.of(review(1, "bob", "APPROVED", SHA),
                review(2, "carol", "COMMENTED", OLD_SHA)), List.of());
        for (String login : List.of("alice", "bob", "carol")) {
            for (String team : List.of("devops-lead", "cto")) {
                stub.cachedGet("/orgs/acme/teams/" + team + "/memberships/" + login,
                        "\"" + team + login + "\"", "{\"state\":\"active\"}");
            }
        }
        stub.cachedGet("/repos/acme/infra/issues/7/comments?per_page=100", "\"c\"",
                "[{\"id\":42,\"body\":\"" + MARKER
                        + "\\n## Blocked\",\"user\":{\"login\":\"tidegate[bot]\"}}]");
        stub.cachedGet("/repos/acme/infra/commits/" + SHA + "/status?per_page=100", "\"s\"",
                "{\"state\":\"pending\",\"statuses\":[{\"context\":\"tidegate/production\","
                        + "\"state\":\"pending\",\"description\":\"" + STATUS.description()
                        + "\",\"target_url\":null}]}");
        stub.wm.stubFor(post(urlEqualTo("/repos/acme/infra/issues/7/comments"))
                .willReturn(stub.github(201).withBody("{\"id\":43}")));
    }

    @AfterEach
    void stop() throws Exception {
        api.close();
        stub.close();
    }

    private void reevaluate() throws Exception {
        PullRequestFacts facts = prs.facts(REPO, 7);
        prs.teams(Set.of("alice", "bob", "carol"), TEAMS);
        writer.upsertStickyComment(REPO, 7, MARKER, "## Blocked");
        writer.setStatus(REPO, facts.pullRequest().headSha(), STATUS);
    }

    @Test
    void coldEvaluationCosts14CallsAndAnUnchangedWarmOneSix304s() throws Exception {
        reevaluate();
        List<String> cold = stub.journal();
        assertThat(cold).containsExactly(
                "GET /repos/acme/infra/pulls/7",
                "GET /repos/acme/infra/pulls/7/reviews?per_page=100",
                "GET /repos/acme/infra/pulls/7/reviews?per_page=100&page=2",
                "GET /orgs/acme/teams/cto/memberships/alice",
                "GET /orgs/acme/teams/devops-lead/memberships/alice",
                "GET /orgs/acme/teams/cto/memberships/bob",
                "GET /orgs/acme/teams/devops-lead/memberships/bob",
                "GET /orgs/acme/teams/cto/memberships/carol",
                "GET /orgs/acme/teams/devops-lead/memberships/carol",
                // the writer's, through hub4j: its repository object (once per process), then
                // the PR under hub4j's own Accept-Encoding, so not the facts' answer
                "GET /repos/acme/infra",
                "GET /repos/acme/infra/pulls/7",
                "GET /repos/acme/infra/issues/7/comments?per_page=100",
                "GET /user", // Tidegate's own login: once per process
                "GET /repos/acme/infra/commits/" + SHA + "/status?per_page=100");
        double coldFull = stub.calls("ok");
        double coldRevalidated = stub.calls("not_modified");

        stub.wm.resetRequests();
        reevaluate();
        assertThat(stub.journal()).containsExactly("GET /repos/acme/infra/pulls/7",
                "GET /repos/acme/infra/pulls/7/reviews?per_page=100",
                "GET /repos/acme/infra/pulls/7/reviews?per_page=100&page=2",
                "GET /repos/acme/infra/pulls/7",
                "GET /repos/acme/infra/issues/7/comments?per_page=100",
                "GET /repos/acme/infra/commits/" + SHA + "/status?per_page=100");
        assertThat(stub.requests()).allMatch(r -> r.containsHeader("If-None-Match"));
        assertThat(stub.calls("ok")).isEqualTo(coldFull);
        assertThat(stub.calls("not_modified") - coldRevalidated).isEqualTo(6);
        System.out.printf("GitHub API calls per re-evaluation: cold %d (%.0f full answers, "
                + "%.0f 304s); warm, PR unchanged: %d, all 304 (free of rate limit)%n",
                cold.size(), coldFull, coldRevalidated, stub.journal().size());
    }
}
