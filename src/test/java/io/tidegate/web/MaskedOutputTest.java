package io.tidegate.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import gg.jte.output.StringOutput;
import io.tidegate.logging.SecretRedactor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every text the dashboard writes passes the redactor, on its pages and in their JSON. */
class MaskedOutputTest {
    private static final String TOKEN = "masked-output-test-7f3c9a41d2";

    @BeforeEach
    @AfterEach
    void forget() { // the registry is static: other tests' values would mask parts of this one
        SecretRedactor.clear();
    }

    @Test
    void aPageValueIsMaskedThenEscaped() {
        SecretRedactor.register(TOKEN);
        StringOutput out = new StringOutput();

        MaskedOutput.html(out).writeUserContent("<b>frozen</b> " + TOKEN
                + " https://u:ghp_abcdefghijklmnopqrstuvwxyz0123456789@x.y");

        assertThat(out.toString()).isEqualTo("&lt;b&gt;frozen&lt;/b&gt; **** https://****@x.y");
    }

    @Test
    void aJsonStringIsMaskedAndOtherValuesAreNot() throws Exception {
        SecretRedactor.register(TOKEN);
        ObjectMapper json = new ObjectMapper().registerModule(MaskedOutput.json());

        assertThat(json.writeValueAsString(Map.of("reason", "by " + TOKEN)))
                .isEqualTo("{\"reason\":\"by ****\"}");
        assertThat(json.writeValueAsString(Map.of("n", 42))).isEqualTo("{\"n\":42}");
    }
}
