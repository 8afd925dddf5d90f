package io.tidegate;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tidegate.decision.CostChange;
import io.tidegate.decision.PlanChange;
import io.tidegate.decision.ProjectRef;
import io.tidegate.store.CostReport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@code repos:} policy file served by the real server over HTTP: the PR's repository picks the
 * policy; a repository no entry matches is denied {@code repo-not-governed}.
 */
class RepoPolicyEndToEndTest {
    static final String SHA = "d".repeat(40);
    static final String REPO = "chhsia0/knative-route-demo";
    static final Instant SUNDAY_NIGHT = Instant.parse("2026-11-22T12:00:00Z");

    @TempDir
    Path dir;
    FakeGitHub github;
    GitHubServer server;

    void start(String match) throws Exception {
        Files.copy(Path.of("policies/policy.yaml"), dir.resolve("infra.yaml"));
        Path root = dir.resolve("repos.yaml");
        Files.writeString(root, "version: 1\nrepos:\n  - match: [\"" + match + "\"]\n"
                + "    policy: infra.yaml\n");
        github = new FakeGitHub(SHA);
        server = new GitHubServer(dir, github, new TestClock(SUNDAY_NIGHT), GitHubServer.SECRET,
                root);
        server.store.costReports().put(new CostReport(REPO, 3, SHA,
                new ProjectRef("prod-environment", "environments/prod", "default"),
                new CostChange(Optional.of(new BigDecimal("12.50")),
                        Optional.of(new BigDecimal("100"))), PlanChange.EMPTY, SUNDAY_NIGHT));
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
            github.close();
        }
    }

    @Test
    void theMatchingEntrysPolicyDecidesForTheRepository() throws Exception {
        start("chhsia0/*");

        String reply = explain();

        // the reply renders names and messages inert (io.tidegate.text.Untrusted)
        assertThat(reply).contains("**" + io.tidegate.text.Untrusted.markdown("prod-environment")
                + "** (production): ⛔ denied",
                "(`approvals-missing`)").doesNotContain("repo-not-governed");
    }

    @Test
    void aRepositoryNoEntryMatchesIsDeniedNotGoverned() throws Exception {
        start("acme/*");

        String reply = explain();

        assertThat(reply).contains(io.tidegate.text.Untrusted.markdown("no entry of the policy's "
                + "repos matches " + REPO + ", so no policy governs it") + " (`repo-not-governed`)");
    }

    private String explain() throws Exception {
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = (ObjectNode) json.readTree(Fixtures.bytes(
                "github/issue_comment.created.on-pull-request.json"));
        ObjectNode c = (ObjectNode) root.get("comment");
        c.put("id", 1).put("body", "tidegate explain");
        ((ObjectNode) c.get("user")).put("login", "alice").put("type", "User");
        ((ObjectNode) root.get("sender")).put("login", "alice").put("type", "User");
        assertThat(server.send("issue_comment", json.writeValueAsBytes(root)).statusCode())
                .isEqualTo(202);
        String marker = "<!-- tidegate:reply:1 -->";
        GitHubServer.await("the reply", () -> github.comments(REPO, 3).stream()
                .anyMatch(x -> x.body().startsWith(marker)));
        return github.comments(REPO, 3).stream().filter(x -> x.body().startsWith(marker))
                .findFirst().get().body();
    }
}
