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
 * {@link KeptJsonReader} (Jackson's streaming parser, keeping some fields) against a full
 * Jackson tree, the reference: keeping everything, or only the webhook's fields with the rest
 * skipped, both must accept the same documents and build equal trees (of the kept fields), on
 * every JSON fixture and on thousands of damaged copies; and the limits and messages a caller
 * sees.
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

    /**
     * With the webhook's own kept fields most of a payload is skipped, not decoded: a damaged
     * copy is still accepted exactly when Jackson accepts the whole, and what is kept equals
     * the same fields of Jackson's full tree.
     */
    @Test
    void skippingUnkeptFieldsAcceptsAndRejectsWhatAFullJacksonTreeDoes() throws Exception {
        ObjectMapper full = JsonMapper.builder()
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();
        Random random = new Random(SEED + 1);
        int accepted = 0;
        int rejected = 0;
        for (Path file : jsonFixtures()) {
            byte[] body = Files.readAllBytes(file);
            for (int i = 0; i < 150; i++) {
                byte[] mutant = mutate(body, random);
                Optional<JsonNode> ours = kept(mutant);
                Optional<JsonNode> theirs = tree(full, mutant)
                        .map(t -> project(t, WebhookParser.KEPT));
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
    void aKeptFieldGivenTwiceIsRejectedASkippedOneIsNot() throws Exception {
        byte[] keptTwice = "{\"action\":\"a\",\"action\":\"b\"}".getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> KeptJsonReader.read(keptTwice, WebhookParser.KEPT))
                .hasMessage("duplicate field 'action'");
        byte[] skippedTwice = "{\"x\":1,\"x\":2,\"action\":\"a\"}".getBytes(StandardCharsets.UTF_8);
        assertThat(KeptJsonReader.read(skippedTwice, WebhookParser.KEPT).get("action").textValue())
                .isEqualTo("a");
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

    /**
     * Jackson's own messages, with where, and without Jackson's names for its tokens: the
     * caller puts them in its 400 answer.
     */
    @Test
    void everyRejectionSaysWhatAndWhere() throws Exception {
        assertRejected("{\"a\":1,}", "Unexpected character ('}' (code 125)): was expecting"
                + " double-quote to start field name (line 1, column 8)");
        assertRejected("{\"a\" 1}", "Unexpected character ('1' (code 49)): was expecting a colon"
                + " to separate field name and value (line 1, column 6)");
        assertRejected("[1 2]", "Unexpected character ('2' (code 50)): was expecting comma to"
                + " separate Array entries (line 1, column 4)");
        assertRejected("{\"a\":01}", "Invalid numeric value: Leading zeroes not allowed"
                + " (line 1, column 7)");
        assertRejected("{\"a\":\"x\ny\"}", "Illegal unquoted character ((CTRL-CHAR, code 10)):"
                + " has to be escaped using backslash to be included in string value"
                + " (line 1, column 8)");
        assertRejected("{\"a\":\"\\x\"}", "Unrecognized character escape 'x' (code 120)"
                + " (line 1, column 8)");
        assertRejected("{\"a\":\n  \"b", "Unexpected end-of-input in a string (line 2,"
                + " column 5)");
        assertRejected("{} x", "Unrecognized token 'x': was expecting (JSON String, Number,"
                + " Array, Object or token 'null', 'true' or 'false') (line 1, column 4)");
        assertRejected("{} {}", "unexpected data after the JSON value (line 1, column 4)");
        assertThatThrownBy(() -> KeptJsonReader.read(new byte[] {'"', (byte) 0xC3, '"'},
                EVERYTHING)).hasMessage("Invalid UTF-8 middle byte 0x22");
        assertThatThrownBy(() -> KeptJsonReader.read(new byte[] {'"', (byte) 0xED, (byte) 0xA0,
                (byte) 0x80, '"'}, EVERYTHING))
                .hasMessage("Invalid UTF-8: Illegal surrogate character 0xd800");
        // Jackson decodes the overlong C0 80 (the hand-written reader refused it): Jackson is
        // the reference, and the payload was signed by GitHub before it is read.
        byte[] overlong = {'"', (byte) 0xC0, (byte) 0x80, '"'};
        assertThat(KeptJsonReader.read(overlong, EVERYTHING)).isEqualTo(jackson.readTree(overlong));
    }

    @Test
    void nestingAndNumberLengthAreBoundedAsJacksonBoundsThemAndSaidInPlainWords() {
        String deep = "[".repeat(KeptJsonReader.MAX_DEPTH + 1) + "]".repeat(
                KeptJsonReader.MAX_DEPTH + 1);
        assertRejected(deep, "nested deeper than 1000 levels (line 1, column 1002)");
        String okDeep = "[".repeat(KeptJsonReader.MAX_DEPTH) + "]".repeat(KeptJsonReader.MAX_DEPTH);
        assertThat(ours(okDeep.getBytes(StandardCharsets.UTF_8))).isPresent();
        String skippedDeep = "{\"skip\":" + deep + "}";
        assertThatThrownBy(() -> KeptJsonReader.read(skippedDeep.getBytes(StandardCharsets.UTF_8),
                KeptFields.of("keep"))).hasMessage("nested deeper than 1000 levels");
        String longNumber = "{\"n\":" + "9".repeat(KeptJsonReader.MAX_NUMBER_LENGTH + 1) + "}";
        assertRejected(longNumber, "a number longer than 1000 digits (line 1, column 1007)");
        String skippedLongNumber = "{\"skip\":" + "9".repeat(KeptJsonReader.MAX_NUMBER_LENGTH + 1)
                + "}";
        assertThatThrownBy(() -> KeptJsonReader.read(skippedLongNumber.getBytes(
                StandardCharsets.UTF_8), KeptFields.of("keep")))
                .hasMessage("a number longer than 1000 digits");
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

    private static Optional<JsonNode> kept(byte[] body) {
        try {
            return Optional.ofNullable(KeptJsonReader.read(body, WebhookParser.KEPT));
        } catch (KeptJsonReader.SyntaxException e) {
            return Optional.empty();
        }
    }

    private static Optional<JsonNode> tree(ObjectMapper mapper, byte[] body) {
        try {
            JsonNode tree = mapper.readTree(body);
            return tree == null || tree.isMissingNode() ? Optional.empty() : Optional.of(tree);
        } catch (java.io.IOException e) {
            return Optional.empty();
        }
    }

    /** The part of a full tree that {@code kept} names: what the reader must build. */
    private static JsonNode project(JsonNode node, KeptFields kept) {
        if (kept.keepsWholeValue()) {
            return node;
        }
        if (node.isObject()) {
            com.fasterxml.jackson.databind.node.ObjectNode out =
                    com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
            node.properties().forEach(e -> {
                KeptFields child = kept.childOrNull(e.getKey());
                if (child != null) {
                    out.set(e.getKey(), project(e.getValue(), child));
                }
            });
            return out;
        }
        if (node.isArray()) {
            com.fasterxml.jackson.databind.node.ArrayNode out =
                    com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.arrayNode();
            node.forEach(e -> out.add(project(e, kept)));
            return out;
        }
        return node;
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
