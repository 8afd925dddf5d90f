package io.tidegate.review;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tidegate.decision.OwnedFile;
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
    void theHeadTreeAndTheCodeOwnersOfChangedFilesReadBackEqual() {
        StoredFacts f = new StoredFacts(new PullRequest("acme/infra", 42, "main", "abc123",
                "dev1", false, Set.of(), "", "t"), List.of(), Map.of("dev1", Set.of()),
                Instant.parse("2026-11-23T02:00:00Z"), Optional.of("aaaaaaa1"),
                Optional.of(List.of(new OwnedFile("db/main.tf", Set.of("@acme/dba", "@lee")),
                        new OwnedFile("README.md", Set.of()))));
        StoredFacts back = StoredFacts.fromJson(f.toJson(json), json);
        assertThat(back).isEqualTo(f);
        assertThat(back.headTree()).contains("aaaaaaa1");
    }

    @Test
    void factsStoredBeforeTreesAndOwnersWereReadHaveNeither() {
        StoredFacts old = new StoredFacts(new PullRequest("acme/infra", 42, "main", "abc123",
                "dev1", false, Set.of(), "", "t"), List.of(), Map.of(),
                Instant.parse("2026-11-23T02:00:00Z"));
        StoredFacts back = StoredFacts.fromJson(old.toJson(json), json);
        assertThat(back.headTree()).isEmpty();
        assertThat(back.ownedFiles()).isEmpty();
    }

    @Test
    void unreadableStoredFactsAreAnIllegalArgumentNamingTheProblem() {
        assertThatThrownBy(() -> StoredFacts.fromJson("{\"read_at\":1}", json))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("stored facts are unreadable: ");
    }
}
