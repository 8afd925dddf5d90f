package io.tidegate;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Seeded damage for robustness tests: truncations, character flips, lost or doubled lines,
 * values swapped for values of another type, huge numbers, bad dates and zones, odd Unicode.
 * The same seed gives the same mutants, so a failure names its seed and index and replays.
 */
public final class Mutations {
    /** Characters that mean something to YAML or JSON, and some that mean nothing to anyone. */
    private static final String[] SPECIALS = {":", "{", "}", "[", "]", ",", "\"", "'", "-", "?",
        "*", "&", "!", "|", ">", "%", "@", "`", "#", "\n", "\t", " ", "\\", "\u0000", "\u00a0",
        "\u200b", "\ufeff", "\u202e", "Ω", "🙂", "\ud800", "é", "\r", "..", "---", "..."};
    /** Values of every type and edge, for YAML or JSON (quoted where JSON needs it). */
    private static final String[] VALUES = {"[]", "{}", "null", "~", "true", "false", "-1", "0",
        "-0", "1e309", "-1e309", "1e-400", "99999999999999999999999999999999", "2147483648",
        "-2147483649", "9223372036854775808", ".inf", "-.inf", ".nan", "0x7fffffff", "0o17",
        "1_000", "\"\"", "\"25:00\"", "\"24:00\"", "\"23:60\"", "\"9:00\"", "\"-01:00\"",
        "\"13-01\"", "\"02-30\"", "\"00-00\"", "\"12-31..01-02..03\"", "\"12-24..\"",
        "\"..12-24\"", "\"2026-02-29\"", "\"Mars/Base\"", "\"UTC+25:00\"", "\"GMT+99\"",
        "\"+14:01\"", "\"last-funday\"", "\"99h\"", "\"-5m\"", "\"1e9d\"", "\"0s\"",
        "[a, [b, [c]]]", "{ x: 1 }", "[{}]", "[[]]", "\"Ω🙂\"", "\"\\u0000\"", "12.5", "1.0e2",
        "\"1,000\"", "\"$100\"", "-0.0000001", "100000000000000000000.0001"};
    private static final Pattern KEY_VALUE = Pattern.compile(
            "(:\\s*)(\"[^\"\\n]*\"|[^\\s{}\\[\\],\"#][^\\n{}\\[\\],#]*"
                    + "|\\{[^\\n{}]*}|\\[[^\\n\\[\\]]*])");

    private final Random random;

    public Mutations(long seed) {
        this.random = new Random(seed);
    }

    /** One to three mutations of the text. */
    public String mutate(String text) {
        String out = text;
        int n = 1 + random.nextInt(3);
        for (int i = 0; i < n; i++) {
            out = once(out);
        }
        return out;
    }

    private String once(String text) {
        if (text.isEmpty()) {
            return pick(SPECIALS);
        }
        return switch (random.nextInt(10)) {
            case 0 -> text.substring(0, random.nextInt(text.length()));
            case 1 -> replaceChar(text);
            case 2 -> insert(text, pick(SPECIALS));
            case 3 -> lines(text, 0);
            case 4 -> lines(text, 1);
            case 5 -> lines(text, 2);
            case 6, 7 -> swapValue(text);
            case 8 -> indent(text);
            default -> insert(text, pick(VALUES));
        };
    }

    /** Bytes: truncated, flipped, or one to three text mutations of their UTF-8 reading. */
    public byte[] mutate(byte[] bytes) {
        return switch (random.nextInt(4)) {
            case 0 -> java.util.Arrays.copyOf(bytes, bytes.length == 0 ? 0
                    : random.nextInt(bytes.length));
            case 1 -> flipBytes(bytes);
            default -> mutate(new String(bytes, java.nio.charset.StandardCharsets.UTF_8))
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        };
    }

    private byte[] flipBytes(byte[] bytes) {
        byte[] out = bytes.clone();
        int flips = 1 + random.nextInt(8);
        for (int i = 0; i < flips && out.length > 0; i++) {
            out[random.nextInt(out.length)] = (byte) random.nextInt(256);
        }
        return out;
    }

    private String replaceChar(String text) {
        int at = random.nextInt(text.length());
        return text.substring(0, at) + pick(SPECIALS) + text.substring(at + 1);
    }

    private String insert(String text, String what) {
        int at = random.nextInt(text.length() + 1);
        return text.substring(0, at) + what + text.substring(at);
    }

    /** kind 0: delete a line, 1: double a line, 2: swap two lines. */
    private String lines(String text, int kind) {
        List<String> lines = new ArrayList<>(List.of(text.split("\n", -1)));
        int a = random.nextInt(lines.size());
        int b = random.nextInt(lines.size());
        switch (kind) {
            case 0 -> lines.remove(a);
            case 1 -> lines.add(a, lines.get(a));
            default -> {
                String t = lines.get(a);
                lines.set(a, lines.get(b));
                lines.set(b, t);
            }
        }
        return String.join("\n", lines);
    }

    /** A value after some {@code key:} becomes one of {@link #VALUES}. */
    private String swapValue(String text) {
        Matcher m = KEY_VALUE.matcher(text);
        List<int[]> spans = new ArrayList<>();
        while (m.find()) {
            spans.add(new int[] {m.start(2), m.end(2)});
        }
        if (spans.isEmpty()) {
            return insert(text, pick(VALUES));
        }
        int[] s = spans.get(random.nextInt(spans.size()));
        return text.substring(0, s[0]) + pick(VALUES) + text.substring(s[1]);
    }

    private String indent(String text) {
        List<String> lines = new ArrayList<>(List.of(text.split("\n", -1)));
        int a = random.nextInt(lines.size());
        String line = lines.get(a);
        lines.set(a, random.nextBoolean() ? "  " + line : line.replaceFirst("^ {1,2}", ""));
        return String.join("\n", lines);
    }

    private String pick(String[] from) {
        return from[random.nextInt(from.length)];
    }

    /** {@code depth} nested flow sequences: {@code [[[...]]]}. */
    public static String nestedSequences(int depth) {
        return "[".repeat(depth) + "]".repeat(depth);
    }

    /** {@code depth} nested flow mappings: {@code {"a": {"a": ... 1}}} (valid YAML and JSON). */
    public static String nestedMappings(int depth) {
        return "{\"a\": ".repeat(depth) + "1" + "}".repeat(depth);
    }
}
