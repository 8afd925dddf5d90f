package io.tidegate.github;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.tidegate.Fixtures;
import org.junit.jupiter.api.Test;

/**
 * {@link KeptJsonReader} against Jackson, the reference: keeping everything, both must accept
 * the same documents and build equal trees, on every JSON fixture and on thousands of damaged
 * copies; and the limits and messages a caller sees.
 */
class KeptJsonReaderTest {
    private static final long SEED = 20261122L;
    /** Keeps every field: the reader then builds the whole tree, as Jackson does. */
    private static final KeptFields EVERYTHING = KeptFields.of();
    private final ObjectMapper jackson = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    @Test
    void buildsTheTreeJacksonBuildsForEveryFixture() throws Exception {
        List<Path> all = jsonFixtures();
        assertThat(all).hasSizeGreaterThan(20);
        for (Path file : all) {
            byte[] body = Files.readAllBytes(file);
            assertThat(KeptJsonReader.read(body, EVERYTHING)).as(file.toString())
                    .isEqualTo(jackson.readTree(body));
        }
    }

    @Test
    void acceptsAndRejectsWhatJacksonDoesOnDamagedCopies() throws Exception {
        Random random = new Random(SEED);
        int accepted = 0;
        int rejected = 0;
        for (Path file : jsonFixtures()) {
            byte[] body = Files.readAllBytes(file);
            for (int i = 0; i < 150; i++) {
                byte[] mutant = mutate(body, random);
                Optional<JsonNode> ours = ours(mutant);
                Optional<JsonNode> theirs = jacksons(mutant);
                assertThat(ours).as(file + " mutant " + i).isEqualTo(theirs);
                if (ours.isPresent()) {
                    accepted++;
                } else {
                    rejected++;
                }
            }
        }
        assertThat(accepted).isPositive();
        assertThat(rejected).isPositive();
    }

    @Test
    void numbersGetJacksonsNodeTypes() throws Exception {
        for (String n : List.of("0", "-0", "7", "-2147483648", "2147483648", "9223372036854775807",
                "9223372036854775808", "-9223372036854775809", "123456789012345678901234567890",
                "1.5", "-0.0", "1e3", "1E-3", "2.5e+10", "1e999999999")) {
            String doc = "{\"n\":" + n + "}";
            assertThat(KeptJsonReader.read(doc.getBytes(StandardCharsets.UTF_8), EVERYTHING))
                    .as(n).isEqualTo(jackson.readTree(doc));
        }
    }

    @Test
    void stringsDecodeEscapesSurrogatePairsAndMultiByteUtf8() throws Exception {
        String doc = "{\"s\":\"a\\\"b\\\\c\\/d\\b\\f\\n\\r\\t\\u00e9\\ud83d\\ude80 é 🚀 한\"}";
        assertThat(KeptJsonReader.read(doc.getBytes(StandardCharsets.UTF_8), EVERYTHING)
                .get("s").textValue()).isEqualTo("a\"b\\c/d\b\f\n\r\té🚀 é 🚀 한");
    }

    @Test
    void everyRejectionSaysWhatAndWhere() {
        assertRejected("{\"a\":1,}", "expected a field name in double quotes (line 1, column 8)");
        assertRejected("{\"a\" 1}", "expected ':' after a field name (line 1, column 6)");
        assertRejected("[1 2]", "expected ',' or ']' (line 1, column 4)");
        assertRejected("{\"a\":01}", "leading zeros are not allowed in numbers (line 1, column 7)");
        assertRejected("{\"a\":1.}", "expected a digit after the decimal point (line 1, column 8)");
        assertRejected("{\"a\":\"x\ny\"}", "control character (code 10) inside a string: must be"
                + " escaped (line 1, column 8)");
        assertRejected("{\"a\":\"\\x\"}", "unknown escape '\\x' (line 1, column 7)");
        assertRejected("{\"a\":\"\\u12g4\"}", "\\u must be followed by four hex digits"
                + " (line 1, column 7)");
        assertRejected("{\"a\":tru}", "unexpected character: expected 'true' (line 1, column 6)");
        assertRejected("{\"a\":\n  \"b", "unexpected end of input inside a string (line 2,"
                + " column 5)");
        assertRejected("{} x", "unexpected data after the JSON value (line 1, column 4)");
        assertThatThrownBy(() -> KeptJsonReader.read(new byte[] {'"', (byte) 0xC3, '"'},
                EVERYTHING)).hasMessage("invalid UTF-8 sequence");
        assertThatThrownBy(() -> KeptJsonReader.read(new byte[] {'"', (byte) 0xED, (byte) 0xA0,
                (byte) 0x80, '"'}, EVERYTHING)).hasMessage("invalid UTF-8 sequence");
        assertThatThrownBy(() -> KeptJsonReader.read(new byte[] {'"', (byte) 0xC0, (byte) 0x80,
                '"'}, EVERYTHING)).hasMessage("invalid UTF-8 byte 0xc0");
    }

    @Test
    void nestingAndNumberLengthAreBoundedAsJacksonBoundsThem() {
        String deep = "[".repeat(KeptJsonReader.MAX_DEPTH + 1) + "]".repeat(
                KeptJsonReader.MAX_DEPTH + 1);
        assertRejected(deep, "nested deeper than 1000 levels (line 1, column 1001)");
        String okDeep = "[".repeat(KeptJsonReader.MAX_DEPTH) + "]".repeat(KeptJsonReader.MAX_DEPTH);
        assertThat(ours(okDeep.getBytes(StandardCharsets.UTF_8))).isPresent();
        String skippedDeep = "{\"skip\":" + deep + "}";
        assertThatThrownBy(() -> KeptJsonReader.read(skippedDeep.getBytes(StandardCharsets.UTF_8),
                KeptFields.of("keep"))).hasMessageContaining("nested deeper than 1000 levels");
        String longNumber = "{\"n\":" + "9".repeat(KeptJsonReader.MAX_NUMBER_LENGTH + 1) + "}";
        assertRejected(longNumber, "number longer than 1000 characters (line 1, column 6)");
    }

    @Test
    void whitespaceOnlyIsNoValueAndAByteOrderMarkIsSkipped() throws Exception {
        assertThat(KeptJsonReader.read(" \n\t ".getBytes(StandardCharsets.UTF_8), EVERYTHING))
                .isNull();
        byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF, '{', '}'};
        assertThat(KeptJsonReader.read(bom, EVERYTHING).isObject()).isTrue();
    }

    private void assertRejected(String doc, String where) {
        assertThatThrownBy(() -> KeptJsonReader.read(doc.getBytes(StandardCharsets.UTF_8),
                EVERYTHING))
                .isInstanceOfSatisfying(KeptJsonReader.SyntaxException.class,
                        e -> assertThat(e.getMessage() + " " + e.where()).isEqualTo(where));
    }

    private static Optional<JsonNode> ours(byte[] body) {
        try {
            return Optional.ofNullable(KeptJsonReader.read(body, EVERYTHING));
        } catch (KeptJsonReader.SyntaxException e) {
            return Optional.empty();
        }
    }

    private Optional<JsonNode> jacksons(byte[] body) {
        try {
            JsonNode tree = jackson.readTree(body);
            return tree == null || tree.isMissingNode() ? Optional.empty() : Optional.of(tree);
        } catch (java.io.IOException e) {
            return Optional.empty();
        }
    }

    private static byte[] mutate(byte[] body, Random random) {
        byte[] copy = body.clone();
        int at = random.nextInt(copy.length);
        switch (random.nextInt(4)) {
            case 0 -> copy[at] = (byte) random.nextInt(256);
            case 1 -> copy[at] = (byte) "{}[]\",:0n-\\e.".charAt(random.nextInt(13));
            case 2 -> copy[at] = (byte) (copy[at] ^ (1 << random.nextInt(8)));
            default -> copy = java.util.Arrays.copyOf(copy, at);
        }
        return copy;
    }

    private static List<Path> jsonFixtures() throws Exception {
        try (Stream<Path> files = Files.walk(Fixtures.root())) {
            return files.filter(p -> p.toString().endsWith(".json"))
                    .filter(p -> sizeOf(p) < 2_000_000).sorted().toList();
        }
    }

    private static long sizeOf(Path p) {
        try {
            return Files.size(p);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
