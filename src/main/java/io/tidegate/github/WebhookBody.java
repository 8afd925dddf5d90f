package io.tidegate.github;

import java.net.URLDecoder;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The JSON of a delivery, for both content types a GitHub webhook can be set to. With
 * {@code application/json} it is the body itself. With {@code application/x-www-form-urlencoded}
 * (GitHub's default: its REST API's {@code content_type} defaults to {@code form}) the JSON is
 * the value of the form field {@code payload}, and the signature is over the whole form body,
 * so this runs after the signature is checked. As go-github's {@code ValidatePayload} reads it
 * (google/go-github, {@code github/messages.go}: {@code url.ParseQuery(body)}, then
 * {@code form.Get("payload")}), except that a form without exactly one {@code payload} field is
 * refused, not read as empty. Any other content type is read as JSON, as before, and the parser
 * says what is wrong.
 */
public final class WebhookBody {
    static final String FORM = "application/x-www-form-urlencoded";
    private static final String FIELD = "payload";

    private WebhookBody() {}

    /** The delivery's JSON bytes. */
    public static byte[] json(String contentType, byte[] body) throws MalformedWebhookException {
        if (body == null || !isForm(contentType)) {
            return body;
        }
        String form = new String(body, StandardCharsets.ISO_8859_1); // percent-encoded: ASCII
        String payload = null;
        for (String pair : form.split("&", -1)) {
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq), "a form field name",
                    StandardCharsets.UTF_8);
            if (!name.equals(FIELD)) {
                continue;
            }
            if (payload != null) {
                throw new MalformedWebhookException(FIELD, "the form-encoded delivery has more"
                        + " than one '" + FIELD + "' field");
            }
            // decoded to its bytes, not to UTF-8 text: the JSON parser then checks the UTF-8 as
            // it does a JSON delivery's (URLDecoder put U+FFFD for invalid bytes: accepted)
            payload = eq < 0 ? "" : decode(pair.substring(eq + 1), "the form field " + FIELD,
                    StandardCharsets.ISO_8859_1);
        }
        if (payload == null) {
            throw new MalformedWebhookException(FIELD, "a form-encoded delivery (Content-Type: "
                    + FORM + ") must carry the JSON in a '" + FIELD + "' field; it has none");
        }
        return payload.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static boolean isForm(String contentType) {
        if (contentType == null) {
            return false;
        }
        int semicolon = contentType.indexOf(';');
        String media = semicolon < 0 ? contentType : contentType.substring(0, semicolon);
        return media.strip().toLowerCase(Locale.ROOT).equals(FORM);
    }

    /**
     * URLDecoder's own message names itself ("URLDecoder: Illegal hex characters in escape (%)
     * pattern - ..."): the rule it checks is said instead.
     */
    private static String decode(String part, String what, Charset charset)
            throws MalformedWebhookException {
        try {
            return URLDecoder.decode(part, charset);
        } catch (IllegalArgumentException e) {
            throw new MalformedWebhookException(FIELD, what + " is not valid URL encoding:"
                    + " every % must be followed by two hexadecimal digits");
        }
    }
}
