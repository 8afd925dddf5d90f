package io.tidegate.review;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.tidegate.decision.CostChange;
import io.tidegate.decision.Command;
import io.tidegate.decision.ProjectReport;
import io.tidegate.decision.Lock;
import io.tidegate.decision.Override;
import io.tidegate.decision.PlanChange;
import io.tidegate.decision.ProjectRef;
import io.tidegate.decision.PullRequest;
import io.tidegate.decision.Review;
import io.tidegate.github.GitHubException;
import io.tidegate.github.PullRequestFacts;
import io.tidegate.github.PullRequests;
import io.tidegate.github.WebhookEvent;
import io.tidegate.policy.PolicyParser;
import io.tidegate.policy.PolicySet;
import io.tidegate.store.CostReport;
import io.tidegate.store.OverrideRecord;
import io.tidegate.store.SqliteStore;
import io.tidegate.store.Store;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LiveSnapshotSourceTest {
    static final String REPO = "acme/infra";
    static final String HEAD = "b".repeat(40);
    static final Instant NOW = Instant.parse("2026-11-23T01:00:00Z");

    @TempDir
    Path dir;
    Store store;
    FakePullRequests github = new FakePullRequests();

    @BeforeEach
    void open() {
        store = SqliteStore.openIn(dir);
    }

    @AfterEach
    void close() {
        store.close();
    }

    static PolicySet policy(String roles) throws Exception {
        return PolicyParser.parse("version: 1\ntimezone: UTC\nroles:\n" + roles
                + "environments:\n  prod:\n    match: { projects: [prod] }\n", "policy.yaml");
    }

    LiveSnapshotSource source(PolicySet policy) {
        return new LiveSnapshotSource(github, store, PolicySource.of(policy));
    }

    @Test
    void gathersThePullRequestReviewsAndTheHeadCommitsReportsOverridesAndLocks() throws Exception {
        ProjectRef prod = new ProjectRef("prod", "environments/prod", "default");
        CostChange cost = new CostChange(Optional.of(new BigDecimal("12.5")),
                Optional.of(new BigDecimal("100")));
        store.costReports().put(new CostReport(REPO, 7, HEAD, prod, cost, PlanChange.EMPTY, NOW));
        store.costReports().put(new CostReport(REPO, 7, "a".repeat(40), prod, CostChange.UNKNOWN,
                PlanChange.EMPTY, NOW));
        Override o = new Override("lead", HEAD, NOW, "hotfix");
        store.overrides().add(new OverrideRecord(REPO, 7, "prod", o, NOW.plusSeconds(7200)));
        store.locks().acquire("prod", "acme/infra#3", NOW, Duration.ofMinutes(30));

        PullRequestSnapshot s = source(policy("  lead: { teams: [acme/leads] }\n"))
                .snapshot(REPO, 7, Set.of("runner"), NOW);

        assertThat(s.pullRequest().headSha()).isEqualTo(HEAD);
        assertThat(s.reviews()).containsExactly(github.review);
        assertThat(s.reports()).singleElement().satisfies(r -> {
            assertThat(r.commitSha()).isEqualTo(HEAD);
            assertThat(r.cost()).contains(cost);
        });
        assertThat(s.overrides()).containsExactly(o);
        assertThat(s.locks()).containsExactly(new Lock("prod", "acme/infra#3"));
        assertThat(github.teamCalls).containsExactly(
                List.of(Set.of("author", "kim", "lead", "runner"), Set.of("acme/leads")));
        assertThat(s.teams()).containsEntry("kim", Set.of("acme/leads"));
    }

    @Test
    void aReportReplacedByARePlanIsKeptApartWithTheTimeItWasRecorded() throws Exception {
        ProjectRef prod = new ProjectRef("prod", "environments/prod", "default");
        CostChange before = new CostChange(Optional.of(new BigDecimal("12.5")), Optional.empty());
        CostChange after = new CostChange(Optional.of(new BigDecimal("30")), Optional.empty());
        store.costReports().put(new CostReport(REPO, 7, HEAD, prod, before, PlanChange.EMPTY,
                NOW.minusSeconds(600)));
        store.costReports().put(new CostReport(REPO, 7, HEAD, prod, after, PlanChange.EMPTY,
                NOW));

        PullRequestSnapshot s = source(policy("  lead: { users: [kim] }\n"))
                .snapshot(REPO, 7, Set.of(), NOW);

        assertThat(s.reports()).containsExactly(new ProjectReport(prod, HEAD,
                Optional.of(after), Optional.of(PlanChange.EMPTY), Optional.of(NOW)));
        assertThat(s.replacedReports()).containsExactly(new ProjectReport(prod, HEAD,
                Optional.of(before), Optional.of(PlanChange.EMPTY),
                Optional.of(NOW.minusSeconds(600))));
        assertThat(s.factsFor(Command.APPLY, prod, "kim").replacedReports())
                .isEqualTo(s.replacedReports());
    }

    @Test
    void asksGitHubNoMembershipWhenNoRoleIsGrantedThroughATeam() throws Exception {
        PullRequestSnapshot s = source(policy("  lead: { users: [kim] }\n"))
                .snapshot(REPO, 7, Set.of(), NOW);

        assertThat(github.teamCalls).isEmpty();
        assertThat(s.teams()).containsOnlyKeys("author", "kim");
    }

    @Test
    void aGitHubFailureIsFactsUnavailableNamingWhatCouldNotBeRead() throws Exception {
        github.failure = new GitHubException("read pull request acme/infra#7",
                GitHubException.Failure.SERVER_ERROR, "HTTP 502", null);

        assertThatThrownBy(() -> source(policy("  lead: { users: [kim] }\n"))
                .snapshot(REPO, 7, Set.of(), NOW))
                .isInstanceOf(FactsUnavailableException.class)
                .hasMessage("facts of acme/infra#7 could not be gathered from GitHub: could not "
                        + "read pull request acme/infra#7: HTTP 502");
    }

    @Test
    void aStoreFailureIsFactsUnavailable() throws Exception {
        store.close();

        assertThatThrownBy(() -> source(policy("  lead: { users: [kim] }\n"))
                .snapshot(REPO, 7, Set.of(), NOW))
                .isInstanceOf(FactsUnavailableException.class)
                .hasMessageStartingWith("facts of acme/infra#7 could not be read from the store: ");
    }

    static final class FakePullRequests implements PullRequests {
        final Review review = new Review("kim", Review.State.APPROVED, HEAD);
        final List<List<Set<String>>> teamCalls = new ArrayList<>();
        GitHubException failure;

        @java.lang.Override
        public PullRequestFacts facts(String repo, int number) throws GitHubException {
            if (failure != null) {
                throw failure;
            }
            return new PullRequestFacts(new PullRequest(repo, number, "main", HEAD, "author",
                    false, Set.of(), ""), "feature", false, true, List.of(review));
        }

        @java.lang.Override
        public Map<String, Set<String>> teams(Set<String> logins, Set<String> teams) {
            teamCalls.add(List.of(Set.copyOf(logins), Set.copyOf(teams)));
            Map<String, Set<String>> out = new java.util.HashMap<>();
            logins.forEach(l -> out.put(l, l.equals("kim") ? Set.copyOf(teams) : Set.of()));
            return out;
        }

        @java.lang.Override
        public void invalidate(WebhookEvent.MembershipChange change) {}
    }
}
