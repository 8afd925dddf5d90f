package io.tidegate.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import org.junit.jupiter.api.Test;

class JsonProblemTest {
    private static final JsonFactory JSON = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

    @Test
    void aLimitIsSaidInPlainWordsWithoutJacksonsGetterAndHasNoLocation() {
        JsonProcessingException deep = problem("[".repeat(1001) + "]".repeat(1001));
        JsonProcessingException number = problem("[" + "9".repeat(1001) + "]");

        assertThat(JsonProblem.describe(deep)).isEqualTo("nested deeper than 1000 levels");
        assertThat(JsonProblem.describe(number)).isEqualTo("a number longer than 1000 digits");
        assertThat(JsonProblem.where(deep.getLocation())).isEmpty();
    }

    @Test
    void aSyntaxErrorKeepsJacksonsWordsWithoutItsSourceOrTokenNames() {
        assertThat(JsonProblem.describe(problem("{\"a\":1"))).isEqualTo("Unexpected end-of-input:"
                + " expected close marker for Object (start marker at line 1, column 1)");
        assertThat(JsonProblem.describe(problem("{\"a\":\"b"))).isEqualTo(
                "Unexpected end-of-input in a string");
        assertThat(JsonProblem.describe(problem("{\"a\":1,\"a\":2}"))).isEqualTo(
                "Duplicate field 'a'");
    }

    @Test
    void aFeatureJacksonWouldHaveUsEnableIsNotNamed() {
        assertThat(JsonProblem.describe(problem("[NaN]"))).isEqualTo("Non-standard token 'NaN'");
        assertThat(JsonProblem.describe(problem("[1, /* x */ 2]"))).isEqualTo(
                "Unexpected character ('/' (code 47)): maybe a (non-standard) comment?");
    }

    @Test
    void whereIsLineAndColumnWhenJacksonKnowsThem() {
        assertThat(JsonProblem.where(problem("{\"a\":x}").getLocation()))
                .isEqualTo(" at line 1, column 6");
    }

    private static JsonProcessingException problem(String doc) {
        return catchThrowableOfType(JsonProcessingException.class, () -> {
            try (JsonParser p = JSON.createParser(doc.getBytes(StandardCharsets.UTF_8))) {
                while (p.nextToken() != null) {
                    // every token read: limits are checked as the text is tokenized
                }
            }
        });
    }
}
