package io.tidegate.github;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A budget set by {@link GitHubDeadline} bounds every GitHub call of the thread, over a real
 * socket to a WireMock GitHub that answers slowly: the client's own 10 s read timeout and its
 * retries (40 s call timeout) would make a gate call outlast the hook's 20 s.
 */
class GitHubDeadlineTest {
    private static final String PR_URL = "/repos/acme/infra/pulls/7";

    private GitHubStub stub;
    private GitHubApi api;
    private GitHubPullRequests prs;

    @BeforeEach
    void start() throws Exception {
        stub = new GitHubStub();
        api = stub.connect(stub.tokenSettings());
        prs = new GitHubPullRequests(api, stub.clock);
        stub.repository("acme/infra");
    }

    @AfterEach
    void stop() throws Exception {
        api.close();
        stub.close();
    }

    @Test
    void slowGitHubFailsAsTimeoutWhenTheBudgetIsSpent() {
        stub.wm.stubFor(get(urlEqualTo(PR_URL)).willReturn(stub.github(200)
                .withBody(stub.pullRequestJson("acme/infra", 7, GitHubStub.SHA, "acme/infra"))
                .withFixedDelay(8_000)));
        long start = System.nanoTime();

        assertThatThrownBy(() -> GitHubDeadline.within(Duration.ofMillis(1500),
                () -> prs.facts("acme/infra", 7)))
                .isInstanceOfSatisfying(GitHubException.class, e -> assertThat(e.failure())
                        .isEqualTo(GitHubException.Failure.TIMEOUT));
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        // generous for a loaded machine, and far below the 8 s answer and its retries
        assertThat(took).isLessThan(Duration.ofMillis(6_000));
    }

    @Test
    void withoutABudgetTheThreadKeepsTheClientTimeouts() throws Exception {
        assertThat(GitHubDeadline.remaining()).isEmpty();
        Duration inner = GitHubDeadline.within(Duration.ofSeconds(5),
                () -> GitHubDeadline.within(Duration.ofSeconds(60),
                        () -> GitHubDeadline.remaining().orElseThrow()));
        // a budget inside a budget cannot outlast the outer one
        assertThat(inner).isLessThanOrEqualTo(Duration.ofSeconds(5));
        assertThat(GitHubDeadline.remaining()).isEmpty();
    }
}
