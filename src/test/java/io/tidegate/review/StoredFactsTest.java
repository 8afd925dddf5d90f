package io.tidegate.review;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tidegate.decision.PullRequest;
import io.tidegate.decision.Review;
import org.junit.jupiter.api.Test;

class StoredFactsTest {
    final ObjectMapper json = new ObjectMapper();

    @Test
    void whatAReviewReadFromGitHubReadsBackEqual() {
        StoredFacts f = new StoredFacts(new PullRequest("acme/infra", 42, "main", "abc123",
                "dev1", true, Set.of("cost-reviewed", "urgent"), "## Rollback plan\n\"quoted\" é",
                "Add a VPC"),
                List.of(new Review("lead1", Review.State.APPROVED, "abc123",
                                Instant.parse("2026-11-23T01:00:00Z")),
                        new Review("cto1", Review.State.COMMENTED, "", Optional.empty())),
                Map.of("lead1", Set.of("acme/devops-lead"), "dev1", Set.of()),
                Instant.parse("2026-11-23T02:00:00Z"));
        assertThat(StoredFacts.fromJson(f.toJson(json), json)).isEqualTo(f);
    }

    @Test
    void unreadableStoredFactsAreAnIllegalArgumentNamingTheProblem() {
        assertThatThrownBy(() -> StoredFacts.fromJson("{\"read_at\":1}", json))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("stored facts are unreadable: ");
    }
}
