package io.tidegate.wiring;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;

import io.tidegate.Poll;
import io.tidegate.lifecycle.PeriodicJob;
import io.tidegate.store.Deployment;
import io.tidegate.store.DeploymentStatus;
import io.tidegate.store.SqliteStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StorePurgeTest {
    @TempDir
    Path dir;

    @Test
    void scheduledPurgeDeletesDeploymentsPastNinetyDays() throws Exception {
        Instant start = Instant.parse("2026-01-01T00:00:00Z");
        Clock later = Clock.fixed(start.plus(Duration.ofDays(91)), ZoneOffset.UTC);
        try (SqliteStore store = SqliteStore.openIn(dir)) {
            store.deployments().save(new Deployment("old", "acme/infra", 1, "abc", "network",
                    "production", "alice", start, Optional.empty(), DeploymentStatus.RUNNING));
            PeriodicJob purge = StorePurge.job(store, later, Duration.ofMillis(20));
            purge.start();
            try {
                Poll.until("the purge of deployment old",
                        () -> store.deployments().get("old").isEmpty());
            } finally {
                purge.stop();
            }
            assertThat(store.deployments().get("old")).isEmpty();
        }
    }
}
