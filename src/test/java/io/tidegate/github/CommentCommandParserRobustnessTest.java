package io.tidegate.github;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.Random;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Any comment text (random words, quotes, flags, Unicode, lone surrogates, control characters,
 * huge lines) yields one of the sealed {@link CommentCommand} results, never an exception:
 * comments are typed by anyone who can open a PR. An {@link CommentCommand.Invalid}'s reply
 * never breaks out of its code span. The timeout is a hang guard, not a speed assertion.
 */
@Tag("slow")
class CommentCommandParserRobustnessTest {
    private static final long SEED = 20261122L;
    private static final int COMMENTS = 20_000;
    private static final String[] PREFIXES = {"atlantis", "run", "@tidegate-bot", "@TIDEGATE-BOT",
        "tidegate", "Tidegate", "atlantis\t", " atlantis", "", "@"};
    private static final String[] WORDS = {"plan", "apply", "explain", "override", "help",
        "unlock", "-p", "-d", "-w", "--project", "--dir", "--workspace", "--project=", "--dir=x",
        "-p=", "--", "--reason", "--reason=", "--verbose", "--auto-merge-disabled",
        "--auto-merge-method", "squash", "\"", "'", "\"\"", "''", "\"a b\"", "'a \"b\" c'",
        "\\", "\\\"", "`", "```", "$(rm -rf /)", "${X}", "*", "../..", "prod", "dev/x", "\n",
        "\r\n", "\n\n", "\t", "\u0000", "\u00a0", "\u200b", "\u202e", "\ufeff", "Ω", "🙂",
        "\ud83d", "\ude42", "é", "ß", "İ", "x".repeat(700), "\"" + "y".repeat(600) + "\"",
        "@someone", "#42", "<!-- -->", "\u2028"};
    private final CommentCommandParser parser = new CommentCommandParser("tidegate-bot");

    private String comment(Random r) {
        if (r.nextInt(5) == 0) {
            return randomCodePoints(r, r.nextInt(200));
        }
        StringBuilder b = new StringBuilder(PREFIXES[r.nextInt(PREFIXES.length)]);
        int words = r.nextInt(8);
        for (int i = 0; i < words; i++) {
            b.append(r.nextInt(4) == 0 ? "" : " ").append(WORDS[r.nextInt(WORDS.length)]);
        }
        return b.toString();
    }

    private static String randomCodePoints(Random r, int n) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) {
            int kind = r.nextInt(4);
            if (kind == 0) {
                b.append((char) r.nextInt(0x10000)); // includes lone surrogates
            } else if (kind == 1) {
                b.appendCodePoint(r.nextInt(0x10ffff));
            } else {
                b.append((char) (' ' + r.nextInt(95)));
            }
        }
        return b.toString();
    }

    private void check(String label, String comment) {
        CommentCommand c;
        try {
            c = parser.parse(comment);
        } catch (RuntimeException | StackOverflowError e) {
            throw new AssertionError(label + ": " + e + " for comment: "
                    + comment.codePoints().limit(300).collect(StringBuilder::new,
                            StringBuilder::appendCodePoint, StringBuilder::append), e);
        }
        assertThat(c).as(label).isNotNull().isInstanceOfAny(CommentCommand.NotACommand.class,
                CommentCommand.Atlantis.class, CommentCommand.Explain.class,
                CommentCommand.WindowOverride.class, CommentCommand.Help.class,
                CommentCommand.Invalid.class);
        if (c instanceof CommentCommand.Invalid invalid) {
            String reply = invalid.reply();
            String quoted = reply.substring(reply.indexOf('`') + 1, reply.indexOf("`: "));
            assertThat(quoted).as(label + ": reply quotes the command in one code span")
                    .doesNotContain("`");
            assertThat(invalid.problem()).as(label).isNotBlank();
        }
        if (c instanceof CommentCommand.WindowOverride o) {
            assertThat(o.reason().length()).as(label)
                    .isLessThanOrEqualTo(CommentCommandParser.MAX_REASON);
        }
    }

    @Test
    void randomCommentsYieldOnlySealedResults() {
        Random r = new Random(SEED);
        int[] kinds = new int[2];
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            for (int i = 0; i < COMMENTS; i++) {
                String comment = comment(r);
                check("seed " + SEED + " comment " + i, comment);
                CommentCommand c = parser.parse(comment);
                kinds[c instanceof CommentCommand.Invalid ? 0 : 1]++;
            }
        });
        // the generator must reach the parser's error paths, or this proves little
        assertThat(kinds[0]).isGreaterThan(COMMENTS / 20);
    }

    @Test
    void hugeAndDegenerateCommentsYieldSealedResults() {
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            check("empty", "");
            check("blank", " \t\n ");
            check("a megabyte of quotes", "atlantis apply -p " + "\"".repeat(1_000_000));
            check("a megabyte of one word",
                    "tidegate override --reason \"" + "z".repeat(1_000_000));
            check("a megabyte of flags", "atlantis plan " + "-p x ".repeat(200_000));
            check("a thousand lines", "atlantis apply\n".repeat(1000));
            check("unclosed quote", "tidegate override --reason \"why");
            check("only a prefix", "atlantis");
            check("mention alone", "@tidegate-bot");
            check("lone surrogate reason", "tidegate override --reason \"\ud800\"");
        });
    }
}
