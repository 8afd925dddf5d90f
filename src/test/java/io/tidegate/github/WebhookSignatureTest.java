package io.tidegate.github;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;

import io.tidegate.Fixtures;
import org.junit.jupiter.api.Test;

class WebhookSignatureTest {
    private static final byte[] BODY = "{\"zen\":\"Keep it logically awesome.\"}"
            .getBytes(StandardCharsets.UTF_8);

    @Test
    void acceptsTheSignatureGitHubDocumentsForItsExample() throws Exception {
        // Example from GitHub's "Validating webhook deliveries" page.
        WebhookSignature signature = new WebhookSignature("It's a Secret to Everybody");
        byte[] body = "Hello, World!".getBytes(StandardCharsets.UTF_8);
        signature.verify(body,
                "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17");
        assertThat(signature.signatureOf(body)).isEqualTo(
                "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17");
    }

    @Test
    void acceptsEveryFixtureSignedOverItsExactBytes() throws Exception {
        WebhookSignature signature = new WebhookSignature("s3cret-value");
        byte[] body = Fixtures.bytes("github/pull_request.opened.json");
        assertThatCode(() -> signature.verify(body, signature.signatureOf(body)))
                .doesNotThrowAnyException();
    }

    @Test
    void rejectsABodyChangedByOneByte() {
        WebhookSignature signature = new WebhookSignature("s3cret-value");
        String header = signature.signatureOf(BODY);
        byte[] changed = BODY.clone();
        changed[3] ^= 1;
        assertThatThrownBy(() -> signature.verify(changed, header))
                .isInstanceOf(InvalidSignatureException.class)
                .hasMessage("X-Hub-Signature-256 does not match the body");
    }

    @Test
    void rejectsASignatureMadeWithAnotherSecret() {
        String header = new WebhookSignature("other").signatureOf(BODY);
        assertThatThrownBy(() -> new WebhookSignature("s3cret-value").verify(BODY, header))
                .isInstanceOf(InvalidSignatureException.class)
                .hasMessage("X-Hub-Signature-256 does not match the body");
    }

    @Test
    void rejectsAMissingHeader() {
        assertThatThrownBy(() -> new WebhookSignature("s3cret-value").verify(BODY, null))
                .isInstanceOf(InvalidSignatureException.class)
                .hasMessage("X-Hub-Signature-256 header is missing");
        assertThatThrownBy(() -> new WebhookSignature("s3cret-value").verify(BODY, "  "))
                .hasMessage("X-Hub-Signature-256 header is missing");
    }

    @Test
    void rejectsTheLegacySha1HeaderFormatAndBadHex() {
        WebhookSignature signature = new WebhookSignature("s3cret-value");
        String valid = signature.signatureOf(BODY);
        String expected = "X-Hub-Signature-256 must be 'sha256=' followed by 64 hex digits";
        assertThatThrownBy(() -> signature.verify(BODY, "sha1=" + valid.substring(7)))
                .hasMessage(expected);
        assertThatThrownBy(() -> signature.verify(BODY, valid.substring(0, 70)))
                .hasMessage(expected);
        assertThatThrownBy(() -> signature.verify(BODY, "sha256=" + "zz".repeat(32)))
                .hasMessage(expected);
        assertThatThrownBy(() -> signature.verify(BODY, valid.replace("sha256=", "SHA256=")))
                .hasMessage(expected);
    }

    @Test
    void acceptsUppercaseHexDigits() throws Exception {
        WebhookSignature signature = new WebhookSignature("s3cret-value");
        String valid = signature.signatureOf(BODY);
        signature.verify(BODY, "sha256=" + valid.substring(7).toUpperCase());
    }

    @Test
    void rejectsEverythingWhenNoSecretIsConfigured() {
        WebhookSignature none = new WebhookSignature("");
        String signedWithEmptyKey = "sha256=" + "0".repeat(64);
        assertThat(none.isConfigured()).isFalse();
        assertThatThrownBy(() -> none.verify(BODY, signedWithEmptyKey))
                .isInstanceOf(InvalidSignatureException.class)
                .hasMessage("no webhook secret is configured on this server");
        assertThatThrownBy(() -> none.signatureOf(BODY)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void neverPrintsTheSecret() {
        assertThat(new WebhookSignature("s3cret-value").toString())
                .isEqualTo("WebhookSignature[secret=****]");
        assertThat(new WebhookSignature("").toString())
                .isEqualTo("WebhookSignature[secret=(not set)]");
    }
}
