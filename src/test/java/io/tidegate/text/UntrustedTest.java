package io.tidegate.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;

import io.tidegate.logging.SecretRedactor;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Property tests: seeded hostile strings (markup of every format, mentions, bidi overrides,
 * control characters, lone surrogates, huge lengths) come out of each format's function inert.
 */
@Tag("security")
class UntrustedTest {
    private static final String ZWSP = Untrusted.ZERO_WIDTH_SPACE;
    /** Pieces attackers used or would use, per the review and each format's syntax. */
    private static final List<String> HOSTILE = List.of("`", "```", "**", "__", "*", "_", "~~",
            "<br>", "</details>", "<details>", "<script>", "[x](https://evil.example)",
            "![i](https://evil.example/i.png)", "https://evil.example", "www.evil.example",
            "@lead1", "@org/team", "@here", "@channel", "<!channel>", "<!here>", "<@U0123>",
            "<!subteam^S1>", "<https://evil|click>", "|", "\\", "&amp;", "&#64;", "\n", "\r\n",
            "\t", "\u2028", "\u202E", "\u2066", "\u200B", "\u200D", "\u0000", "\u001B[31m",
            "\uD800", "\uDFFF", "# ", "> ", "- [x] ", "1. ", "$x$", ":tada:", "✅ ready",
            "\"", "'", " ghp_abcdefghijklmnopqrstuvwxyz0123456789");

    private static List<String> hostileStrings() {
        Random random = new Random(14);
        List<String> out = new ArrayList<>(HOSTILE);
        for (int i = 0; i < 2000; i++) {
            StringBuilder s = new StringBuilder();
            int parts = 1 + random.nextInt(8);
            for (int p = 0; p < parts; p++) {
                if (random.nextInt(3) == 0) {
                    s.appendCodePoint(random.nextInt(0x3000)); // anything, controls included
                } else {
                    s.append(HOSTILE.get(random.nextInt(HOSTILE.size())));
                }
                if (random.nextInt(4) == 0) {
                    s.append("word");
                }
            }
            out.add(s.toString());
        }
        out.add("x".repeat(100_000));
        return out;
    }

    private static void forEveryHostileString(Function<String, String> format, int max,
            java.util.function.BiConsumer<String, String> check) {
        for (String in : hostileStrings()) {
            String out = format.apply(in);
            assertThat(out).as("output for %s", in).doesNotContain("\n", "\r", "\t", "\u2028",
                    "\u202E", "\u2066", "\u0000", "\u001B");
            assertThat(out.chars().filter(c -> Character.getType(c) == Character.CONTROL))
                    .isEmpty();
            // every @ is broken; no other zero-width character survives
            assertThat(out.replace("@" + ZWSP, "")).doesNotContain("@", ZWSP, "\u200D");
            assertThat(out).doesNotContain("ghp_abcdefghijklmnopqrstuvwxyz0123456789");
            check.accept(in, out);
        }
        assertThat(format.apply("x".repeat(100_000)).codePointCount(0,
                format.apply("x".repeat(100_000)).length())).isEqualTo(max);
    }

    @Test
    void markdownEscapesEveryPunctuationMarkSoNoMarkupMentionOrCodeSpanCanStart() {
        String punctuation = "!\"#$%&'()*+,-./:;<=>?[\\]^_`{|}~";
        forEveryHostileString(Untrusted::markdown, Untrusted.MAX_CHARS, (in, out) -> {
            // read as CommonMark would: a backslash escapes the next character; no punctuation
            // mark may stand unescaped
            for (int i = 0; i < out.length(); i++) {
                char c = out.charAt(i);
                if (c == '\\') {
                    assertThat(punctuation).as("escaped in %s", out).contains(
                            String.valueOf(out.charAt(i + 1)));
                    i++;
                } else {
                    assertThat(punctuation.indexOf(c)).as("unescaped %s in %s", c, out)
                            .isNegative();
                }
            }
        });
    }

    @Test
    void markdownShowsTheTextAsWritten() {
        assertThat(Untrusted.markdown("**✅ ready — approved by @lead1** `x` <br>"))
                .isEqualTo("\\*\\*✅ ready — approved by @" + ZWSP + "lead1\\*\\* \\`x\\`"
                        + " \\<br\\>");
        assertThat(Untrusted.markdown("evil\u202Egnp.exe\nline2")).isEqualTo(
                "evilgnp\\.exe line2");
    }

    @Test
    void plainTextForAtlantisHasNoLineBreakNorBacktickThatCouldCloseItsCodeFence() {
        forEveryHostileString(Untrusted::plain, Untrusted.MAX_CHARS,
                (in, out) -> assertThat(out).doesNotContain("`"));
        assertThat(Untrusted.plain("a\n```\n@here")).isEqualTo("a \u02CB\u02CB\u02CB @"
                + ZWSP + "here");
    }

    @Test
    void slackTextHasNoEntityBracketFormattingOrLinkSeparator() {
        forEveryHostileString(Untrusted::slack, Untrusted.MAX_CHARS, (in, out) -> {
            assertThat(out).doesNotContain("<", ">", "*", "_", "~", "`", "|");
            assertThat(out.replaceAll("&(amp|lt|gt);", "")).doesNotContain("&");
        });
        assertThat(Untrusted.slack("<!channel> @here *bold*")).isEqualTo(
                "&lt;!channel&gt; @" + ZWSP + "here \u2217bold\u2217");
    }

    @Test
    void htmlTextHasNoTagQuoteOrBareAmpersand() {
        forEveryHostileString(Untrusted::html, Untrusted.MAX_CHARS, (in, out) -> {
            assertThat(out).doesNotContain("<", ">", "\"", "'");
            assertThat(out.replaceAll("&(amp|lt|gt|quot|#39);", "")).doesNotContain("&");
        });
        assertThat(Untrusted.html("<script>alert('x')</script>")).isEqualTo(
                "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;");
    }

    @Test
    void aRegisteredSecretIsMaskedInEveryFormat() {
        SecretRedactor.register("s3cr3t-token-value");
        try {
            for (Function<String, String> f : List.<Function<String, String>>of(
                    Untrusted::markdown, Untrusted::plain, Untrusted::slack, Untrusted::html)) {
                assertThat(f.apply("upstream said: s3cr3t-token-value")).doesNotContain("s3cr3t");
            }
        } finally {
            SecretRedactor.clear();
        }
    }

    @Test
    void longTextIsCutToTheBoundWithAnEllipsisNeverInsideASurrogatePair() {
        String emoji = "😀".repeat(300);
        String out = Untrusted.plain(emoji, 10);
        assertThat(out).isEqualTo("😀".repeat(9) + "…");
        assertThat(Untrusted.plain("exactly10!", 10)).isEqualTo("exactly10!");
    }
}
