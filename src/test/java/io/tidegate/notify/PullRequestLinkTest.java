package io.tidegate.notify;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;

import org.junit.jupiter.api.Test;

class PullRequestLinkTest {
    private static PullRequestLink titled(String title) {
        return new PullRequestLink("acme/infra", 7, title,
                URI.create("https://github.com/acme/infra/pull/7"), "alice");
    }

    @Test
    void titleLineBreaksTabsAndControlCharactersBecomeSingleSpaces() {
        assertThat(titled("  Add\r\n\r\nRedis\t\u0000cluster\u2028now  ").title())
                .isEqualTo("Add Redis cluster now");
    }

    @Test
    void titleLosesBidirectionalOverridesThatMakeTextReadBackwards() {
        assertThat(titled("Fix \u202Egnp.exe\u202C cache").title())
                .isEqualTo("Fix gnp.exe cache");
    }

    @Test
    void longTitleIsCutToTheLimitWithAnEllipsis() {
        String title = titled("x".repeat(256)).title();

        assertThat(title).hasSize(PullRequestLink.TITLE_MAX).endsWith("x…");
    }

    @Test
    void cutNeverSplitsACharacterOutsideTheBasicPlane() {
        String title = titled("🚀".repeat(150)).title();

        assertThat(title.codePointCount(0, title.length())).isEqualTo(PullRequestLink.TITLE_MAX);
        assertThat(title).isEqualTo("🚀".repeat(PullRequestLink.TITLE_MAX - 1) + "…");
    }

    @Test
    void titleWithinTheLimitIsKeptAsWritten() {
        assertThat(titled("feat(infra): Redis 캐시 추가 *bold* _it_").title())
                .isEqualTo("feat(infra): Redis 캐시 추가 *bold* _it_");
    }
}
