package io.tidegate.github;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * The written-out login and team checks of {@link GitHubPullRequests} answer as the regular
 * expressions they replaced, on chosen edges and on random strings over the characters that
 * matter (letters, digits, the allowed punctuation, brackets, slashes, non-ASCII look-alikes).
 */
class LoginAndTeamCheckTest {
    private static final Pattern LOGIN = Pattern.compile("[A-Za-z0-9-]+(\\[bot])?");
    private static final Pattern TEAM = Pattern.compile("[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+");
    /** The Kelvin sign lower-cases to an ASCII k: a look-alike must never pass as one. */
    private static final String ALPHABET = "aZ09-_./[]bot \u212A\u00e9";

    @Test
    void aLoginIsLettersDigitsAndHyphensWithAnAppsBotSuffix() {
        for (String s : List.of("lead1", "renovate[bot]", "a-b", "[bot]", "a[bot][bot]",
                "a[bot", "", "\u212Aate", "x y", "a/b", "-")) {
            assertThat(GitHubPullRequests.isLogin(s)).as(s).isEqualTo(LOGIN.matcher(s)
                    .matches());
        }
    }

    @Test
    void aTeamIsOneSlashBetweenTwoNonEmptyNames() {
        for (String s : List.of("acme/devops-lead", "acme/a_b.c", "/x", "x/", "a/b/c", "a",
                "", "a /b", "acme/\u212Aeys", "acme/cto[bot]")) {
            assertThat(GitHubPullRequests.isTeam(s)).as(s).isEqualTo(TEAM.matcher(s).matches());
        }
    }

    @Test
    void bothAgreeWithTheirExpressionsOnRandomStrings() {
        Random random = new Random(19);
        List<String> disagreements = new ArrayList<>();
        for (int n = 0; n < 200_000; n++) {
            StringBuilder b = new StringBuilder();
            for (int i = random.nextInt(9); i > 0; i--) {
                b.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
            }
            String s = random.nextInt(8) == 0 ? b + "[bot]" : b.toString();
            if (GitHubPullRequests.isLogin(s) != LOGIN.matcher(s).matches()
                    || GitHubPullRequests.isTeam(s) != TEAM.matcher(s).matches()) {
                disagreements.add(s);
            }
        }
        assertThat(disagreements).isEmpty();
    }
}
