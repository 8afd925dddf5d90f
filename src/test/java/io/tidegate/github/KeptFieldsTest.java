package io.tidegate.github;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.databind.JsonNode;
import io.tidegate.Fixtures;
import org.junit.jupiter.api.Test;

class KeptFieldsTest {
    private final WebhookParser parser = new WebhookParser();

    private static JsonNode read(KeptFields kept, String json) throws Exception {
        return KeptJsonReader.read(json.getBytes(StandardCharsets.UTF_8), kept);
    }

    @Test
    void onlyTheKeptPathsSurviveAndArraysKeepThemPerElement() throws Exception {
        KeptFields kept = KeptFields.of("a.b", "labels.name", "c");
        JsonNode tree = read(kept, "{\"a\":{\"b\":1,\"x\":{\"deep\":[1,2]}},\"y\":\"skip\","
                + "\"labels\":[{\"name\":\"bug\",\"color\":\"f00\"},{\"id\":2}],"
                + "\"c\":{\"whole\":{\"value\":true}}}");
        assertThat(tree.toString()).isEqualTo("{\"a\":{\"b\":1},\"labels\":[{\"name\":\"bug\"},{}],"
                + "\"c\":{\"whole\":{\"value\":true}}}");
    }

    @Test
    void aScalarWhereAnObjectIsKeptStaysSoItsTypeCanBeNamed() throws Exception {
        assertThat(read(KeptFields.of("a.b"), "{\"a\":17}").toString()).isEqualTo("{\"a\":17}");
        assertThatThrownBy(() -> parser.parse("pull_request", "d-1",
                "{\"action\":\"opened\",\"pull_request\":\"x\"}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOfSatisfying(MalformedWebhookException.class,
                        e -> assertThat(e.getMessage())
                                .isEqualTo("pull_request: expected an object, found a string"));
    }

    @Test
    void aKeptFieldGivenTwiceIsRejectedWithItsPlace() {
        assertThatThrownBy(() -> parser.parse("pull_request", "d-1",
                "{\"pull_request\":{\"number\":1,\n\"number\":2}}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOfSatisfying(MalformedWebhookException.class,
                        e -> assertThat(e.getMessage()).isEqualTo(
                                "$: not valid JSON: duplicate field 'number' (line 2, column 1)"));
    }

    @Test
    void aDuplicateAmongSkippedFieldsDoesNotMatter() throws Exception {
        assertThat(read(KeptFields.of("a"), "{\"a\":1,\"z\":{\"q\":1,\"q\":2}}").toString())
                .isEqualTo("{\"a\":1}");
    }

    @Test
    void damageInsideASkippedValueIsStillRejected() {
        byte[] body = fixtureWith("\"node_id\":", "\"node_id\": [1,,2], \"x\":");
        assertThatThrownBy(() -> parser.parse("pull_request", "d-1", body))
                .isInstanceOfSatisfying(MalformedWebhookException.class,
                        e -> assertThat(e.getMessage()).startsWith("$: not valid JSON: "));
        byte[] badUtf8 = "{\"skipped\":\"\u00e9\",\"action\":\"opened\"}"
                .getBytes(StandardCharsets.ISO_8859_1);
        assertThatThrownBy(() -> parser.parse("pull_request", "d-1", badUtf8))
                .isInstanceOfSatisfying(MalformedWebhookException.class,
                        e -> assertThat(e.getMessage()).startsWith("$: not valid JSON: "));
    }

    @Test
    void dataAfterTheObjectIsRejected() {
        assertThatThrownBy(() -> parser.parse("pull_request", "d-1",
                "{\"action\":\"opened\"} {}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOfSatisfying(MalformedWebhookException.class,
                        e -> assertThat(e.getMessage()).startsWith(
                                "$: not valid JSON: unexpected data after the JSON value (line 1, column 21)"));
    }

    @Test
    void readingAFieldThatIsNotKeptIsAProgrammingErrorNotAnAbsentField() throws Exception {
        KeptFields kept = KeptFields.of("a.b");
        WebhookJsonFields root = WebhookJsonFields.root(read(kept, "{\"a\":{\"b\":\"x\",\"c\":\"y\"}}"), kept);
        assertThat(root.object("a").text("b")).isEqualTo("x");
        assertThatThrownBy(() -> root.object("a").optionalText("c"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("'a.c' is read but not kept");
    }

    private static byte[] fixtureWith(String target, String replacement) {
        String json = new String(Fixtures.bytes("github/pull_request.synchronize.json"),
                StandardCharsets.UTF_8);
        assertThat(json).contains(target);
        return json.replaceFirst(java.util.regex.Pattern.quote(target), replacement)
                .getBytes(StandardCharsets.UTF_8);
    }
}
