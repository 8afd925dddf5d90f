package io.tidegate.github;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

/**
 * A delivery's JSON for both webhook content types, read as go-github's {@code ValidatePayload}
 * reads them (google/go-github {@code github/messages.go}: the JSON body as is, or the form's
 * {@code payload} field, URL-decoded).
 */
class WebhookBodyTest {
    static final String JSON = "{\"action\":\"opened\",\"title\":\"caf\u00e9 & +1 = 100%\"}";

    static byte[] form(String... pairs) {
        return String.join("&", pairs).getBytes(StandardCharsets.US_ASCII);
    }

    static String encoded(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    @Test
    void aJsonDeliveryIsItsBody() throws Exception {
        byte[] body = JSON.getBytes(StandardCharsets.UTF_8);

        assertThat(WebhookBody.json("application/json", body)).isSameAs(body);
        assertThat(WebhookBody.json(null, body)).isSameAs(body);
    }

    @Test
    void aFormDeliveryIsItsPayloadFieldDecodedAsUtf8() throws Exception {
        byte[] json = WebhookBody.json("application/x-www-form-urlencoded",
                form("payload=" + encoded(JSON)));

        assertThat(new String(json, StandardCharsets.UTF_8)).isEqualTo(JSON);
    }

    @Test
    void theFormMediaTypeIsMatchedWithoutCaseOrParameters() throws Exception {
        byte[] json = WebhookBody.json(" Application/X-WWW-Form-URLEncoded ; charset=utf-8",
                form("other=1", "payload=" + encoded(JSON), "x"));

        assertThat(new String(json, StandardCharsets.UTF_8)).isEqualTo(JSON);
    }

    @Test
    void aFormWithoutAPayloadFieldIsRefusedSayingSo() {
        assertThatThrownBy(() -> WebhookBody.json("application/x-www-form-urlencoded",
                form("payloads=" + encoded(JSON))))
                .isInstanceOf(MalformedWebhookException.class)
                .hasMessage("payload: a form-encoded delivery (Content-Type: "
                        + "application/x-www-form-urlencoded) must carry the JSON in a 'payload'"
                        + " field; it has none");
    }

    @Test
    void aFormWithTwoPayloadFieldsIsRefusedNotReadAsTheFirst() {
        assertThatThrownBy(() -> WebhookBody.json("application/x-www-form-urlencoded",
                form("payload=" + encoded(JSON), "payload=" + encoded("{}"))))
                .isInstanceOf(MalformedWebhookException.class)
                .hasMessage("payload: the form-encoded delivery has more than one 'payload'"
                        + " field");
    }

    @Test
    void brokenPercentEncodingIsRefusedSayingTheRuleNotTheDecoder() {
        assertThatThrownBy(() -> WebhookBody.json("application/x-www-form-urlencoded",
                form("payload=%7B%2")))
                .isInstanceOf(MalformedWebhookException.class)
                .hasMessage("payload: the form field payload is not valid URL encoding: every %"
                        + " must be followed by two hexadecimal digits");
        assertThatThrownBy(() -> WebhookBody.json("application/x-www-form-urlencoded",
                form("pay%zzload=x")))
                .isInstanceOf(MalformedWebhookException.class)
                .hasMessage("payload: a form field name is not valid URL encoding: every %"
                        + " must be followed by two hexadecimal digits");
    }
}
