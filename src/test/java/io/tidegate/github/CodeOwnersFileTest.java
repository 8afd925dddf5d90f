package io.tidegate.github;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;

import io.tidegate.decision.OwnedFile;
import org.junit.jupiter.api.Test;

/** CODEOWNERS as GitHub documents it ("About code owners", example file). */
class CodeOwnersFileTest {
    static final CodeOwnersFile FILE = CodeOwnersFile.parse("""
            # Default owners for everything in the repo.
            *       @global-owner1 @global-owner2
            *.js    @js-owner #This is an inline comment.
            *.go docs@example.com
            /build/logs/ @doctocat
            docs/*  docs@example.com
            apps/ @octocat
            /docs/ @doctocat
            /scripts/ @doctocat @octocat
            **/logs @octocat
            /apps/ @octocat
            /apps/github
            !negated @nobody
            """);

    @Test
    void theLastMatchingPatternWins() {
        assertThat(FILE.ownersOf("src/app.js")).containsExactly("@js-owner");
        assertThat(FILE.ownersOf("README.md")).containsExactly("@global-owner1",
                "@global-owner2");
        assertThat(FILE.ownersOf("main.go")).containsExactly("docs@example.com");
    }

    @Test
    void anchoredAndUnanchoredDirectories() {
        assertThat(FILE.ownersOf("build/logs/today.txt")).containsExactly("@octocat");
        assertThat(FILE.ownersOf("x/apps/y.txt")).containsExactly("@octocat");
        assertThat(FILE.ownersOf("docs/getting-started.md")).containsExactly("@doctocat");
        assertThat(FILE.ownersOf("scripts/deploy.sh")).containsExactly("@doctocat",
                "@octocat");
        assertThat(FILE.ownersOf("deep/logs/x")).containsExactly("@octocat");
    }

    @Test
    void aPatternWithoutOwnersLeavesItsFilesUnowned() {
        assertThat(FILE.own(List.of("apps/github/main.tf"))).containsExactly(
                new OwnedFile("apps/github/main.tf", Set.of()));
    }

    @Test
    void negationIsIgnoredAsGitHubDoes() {
        assertThat(FILE.ownersOf("negated")).containsExactly("@global-owner1",
                "@global-owner2");
    }
}
