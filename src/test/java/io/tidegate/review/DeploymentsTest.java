package io.tidegate.review;

import static io.tidegate.review.ReviewFixture.MONDAY_10_KST;
import static io.tidegate.review.ReviewFixture.SHA;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.tidegate.decision.Command;
import io.tidegate.decision.Facts;
import io.tidegate.decision.ProjectRef;
import io.tidegate.decision.PullRequest;
import io.tidegate.store.Deployment;
import io.tidegate.store.LockResult;
import io.tidegate.store.SqliteStore;
import io.tidegate.store.Store;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeploymentsTest {
    private static final ProjectRef BLUE = new ProjectRef("blue", "envs/prod/blue", "default");
    private static final ProjectRef GREEN = new ProjectRef("green", "envs/prod/green",
            "default");

    @TempDir
    Path dir;

    private Store store;
    private Deployments deployments;

    @BeforeEach
    void start() {
        store = SqliteStore.openIn(dir);
        deployments = new Deployments(store.locks(), store.deployments());
    }

    @AfterEach
    void stop() {
        store.close();
    }

    private static Facts facts(ProjectRef project) {
        return new Facts(Command.APPLY, project, new PullRequest("acme/infra", 42, "main", SHA,
                "dev1", false, Set.of(), ""), "lead1", Map.of(), List.of(), List.of(),
                List.of(), List.of());
    }

    @Test
    void lockStaysWithThePullRequestUntilItsLastApplyInTheEnvironmentEnds() {
        Duration ttl = Duration.ofMinutes(30);
        deployments.lock("production", "acme/infra#42", ttl, MONDAY_10_KST);
        Deployment blue = deployments.start(facts(BLUE), "production", MONDAY_10_KST);
        assertThat(deployments.lock("production", "acme/infra#42", ttl, MONDAY_10_KST))
                .isInstanceOf(LockResult.Acquired.class);
        Deployment green = deployments.start(facts(GREEN), "production", MONDAY_10_KST);

        Deployments.Finished first = deployments.finish(blue, true, MONDAY_10_KST.plusSeconds(60));
        Deployments.Finished last = deployments.finish(green, true,
                MONDAY_10_KST.plusSeconds(90));

        assertThat(first.lockReleased()).isFalse();
        assertThat(last.lockReleased()).isTrue();
        assertThat(store.locks().current("production", MONDAY_10_KST.plusSeconds(91))).isEmpty();
    }

    @Test
    void runningFindsTheNewestRunningApplyOfThatProjectAndCommitOnly() {
        deployments.start(facts(BLUE), "production", MONDAY_10_KST);
        Deployment newer = deployments.start(facts(BLUE), "production",
                MONDAY_10_KST.plusSeconds(5));

        assertThat(deployments.running("acme/infra", 42, "blue", SHA,
                MONDAY_10_KST.plusSeconds(10))).contains(newer);
        assertThat(deployments.running("acme/infra", 42, "green", SHA,
                MONDAY_10_KST.plusSeconds(10))).isEmpty();
        assertThat(deployments.running("acme/infra", 43, "blue", SHA,
                MONDAY_10_KST.plusSeconds(10))).isEmpty();
    }

    @Test
    void aClockThatSteppedBackNeverEndsADeploymentBeforeItStarted() {
        Deployment d = deployments.start(facts(BLUE), "production", MONDAY_10_KST);

        Deployments.Finished done = deployments.finish(d, true, MONDAY_10_KST.minusSeconds(3));

        assertThat(done.deployment().duration()).contains(Duration.ZERO);
    }
}
