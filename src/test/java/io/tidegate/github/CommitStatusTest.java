package io.tidegate.github;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;

import org.junit.jupiter.api.Test;

class CommitStatusTest {
    @Test
    void contextIsTidegateSlashEnvironment() {
        CommitStatus s = CommitStatus.of("production", CommitStatus.State.PENDING,
                "  needs 1 more approval from devops-lead or cto  ", Optional.empty());
        assertThat(s).isEqualTo(new CommitStatus("tidegate/production",
                CommitStatus.State.PENDING, "needs 1 more approval from devops-lead or cto",
                Optional.empty()));
        assertThat(s.state().apiName()).isEqualTo("pending");
    }

    @Test
    void longDescriptionIsShortenedTo140CharactersWithAnEllipsis() {
        CommitStatus s = CommitStatus.of("staging", CommitStatus.State.FAILURE, "x".repeat(200),
                Optional.empty());
        assertThat(s.description()).hasSize(140).endsWith("x…");
    }

    @Test
    void constructorRefusesWhatGitHubWouldRefuse() {
        assertThatThrownBy(() -> new CommitStatus("tidegate/prod", CommitStatus.State.SUCCESS,
                "y".repeat(141), Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("description is 141 characters, GitHub allows 140");
        assertThatThrownBy(() -> new CommitStatus(" ", CommitStatus.State.SUCCESS, "",
                Optional.empty())).hasMessage("context is blank");
    }
}
