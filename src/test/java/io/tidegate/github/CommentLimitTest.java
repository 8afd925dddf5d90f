package io.tidegate.github;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CommentLimitTest {
    private static final String BREAK = CommentLimit.SECTION_BREAK;

    private static String section(char c, int size) {
        return BREAK + "\n" + String.valueOf(c).repeat(size) + "\n";
    }

    @Test
    void bodyWithinTheLimitIsUnchanged() {
        String body = "## Ready\n" + section('a', 100);
        assertThat(CommentLimit.fit(body, 200)).isSameAs(body);
        assertThat(CommentLimit.fit("x".repeat(65_536))).hasSize(65_536);
    }

    @Test
    void dropsWholeTrailingSectionsAndSaysHowMany() {
        String head = "## Blocked\n";
        String body = head + section('a', 100) + section('b', 100) + section('c', 100);
        int limit = head.length() + section('a', 100).length() + CommentLimit.note(2).length();
        assertThat(CommentLimit.fit(body, limit))
                .isEqualTo(head + section('a', 100) + CommentLimit.note(2));
    }

    @Test
    void keepsTheFirstSectionEvenWhenOnlyItFits() {
        String head = "## Blocked\n";
        String body = head + section('a', 500);
        assertThat(CommentLimit.fit(body, 300)).isEqualTo(head + CommentLimit.note(1));
    }

    @Test
    void noteSaysSingularAndPlural() {
        assertThat(CommentLimit.note(1)).contains("1 section was left out");
        assertThat(CommentLimit.note(3)).contains("3 sections were left out");
    }

    @Test
    void resultNeverExceedsTheLimit() {
        StringBuilder body = new StringBuilder("## Summary\n");
        for (int i = 0; i < 40; i++) {
            body.append(section((char) ('a' + i % 26), 3000));
        }
        String fitted = CommentLimit.fit(body.toString());
        assertThat(fitted.length()).isLessThanOrEqualTo(CommentLimit.MAX_CHARS);
        assertThat(fitted).endsWith(CommentLimit.note(19));
    }

    @Test
    void oversizedFirstSectionIsCutAtALineEndWithBlocksClosed() {
        StringBuilder head = new StringBuilder("## Plan\n<details>\n```\n");
        for (int i = 0; i < 200; i++) {
            head.append("line ").append(i).append('\n');
        }
        String fitted = CommentLimit.fit(head + section('z', 10), 1000);
        assertThat(fitted.length()).isLessThanOrEqualTo(1000);
        assertThat(fitted).startsWith("## Plan\n<details>\n```\nline 0\n")
                .contains("\n```\n</details>" + CommentLimit.note(1));
        assertThat(fitted).doesNotContain("zzz");
    }

    @Test
    void neverSplitsASurrogatePair() {
        String emoji = "\uD83C\uDF0A"; // a wave, two UTF-16 units
        String fitted = CommentLimit.fit(emoji.repeat(2000), 1000);
        assertThat(fitted.length()).isLessThanOrEqualTo(1000);
        String kept = fitted.substring(0, fitted.indexOf("\n\n---"));
        assertThat(kept.length() % 2).isZero();
        assertThat(kept).matches("(\uD83C\uDF0A)*");
    }
}
