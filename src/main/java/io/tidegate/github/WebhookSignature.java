package io.tidegate.github;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Checks GitHub's {@code X-Hub-Signature-256} header: {@code sha256=} followed by the lowercase
 * hex HMAC-SHA256 of the raw request body, keyed with the webhook secret
 * (https://docs.github.com/en/webhooks/using-webhooks/validating-webhook-deliveries).
 *
 * <p>Verify before parsing anything: the body is untrusted until this passes. With no secret
 * configured every delivery is refused, so a forgotten setting never opens the door. Immutable and
 * safe for concurrent use; {@link #toString()} never shows the secret.
 *
 * <pre>{@code
 * new WebhookSignature(secret).verify(body, ctx.header("X-Hub-Signature-256"));
 * }</pre>
 */
public final class WebhookSignature {
    public static final String HEADER = "X-Hub-Signature-256";
    private static final String PREFIX = "sha256=";
    private static final String ALGORITHM = "HmacSHA256";
    /** 32 bytes of HMAC-SHA256, as hex. */
    private static final int HEX_LENGTH = 64;

    private final byte[] secret;

    /** {@code secret} as configured; "" means none is configured and every delivery is refused. */
    public WebhookSignature(String secret) {
        this.secret = Objects.requireNonNull(secret, "secret == null")
                .getBytes(StandardCharsets.UTF_8);
    }

    /** Whether a secret is configured at all. */
    public boolean isConfigured() {
        return secret.length > 0;
    }

    /**
     * Returns normally when {@code header} is the signature of {@code body}; throws otherwise.
     *
     * @param header the {@code X-Hub-Signature-256} value; null when the header was absent
     */
    public void verify(byte[] body, String header) throws InvalidSignatureException {
        Objects.requireNonNull(body, "body == null");
        // Without a secret nothing can be authenticated, so nothing is accepted.
        if (!isConfigured()) {
            throw new InvalidSignatureException("no webhook secret is configured on this server");
        }
        if (header == null || header.isBlank()) {
            throw new InvalidSignatureException(HEADER + " header is missing");
        }
        byte[] claimed = decode(header.trim());
        // MessageDigest.isEqual runs in time independent of where the bytes differ.
        if (!MessageDigest.isEqual(claimed, sign(body))) {
            throw new InvalidSignatureException(HEADER + " does not match the body");
        }
    }

    /** {@code sha256=<hex>} for {@code body}: what GitHub would send (used by tests and tools). */
    public String signatureOf(byte[] body) {
        if (!isConfigured()) {
            throw new IllegalStateException("no webhook secret is configured");
        }
        return PREFIX + HexFormat.of().formatHex(sign(body));
    }

    private static byte[] decode(String header) throws InvalidSignatureException {
        // GitHub always sends the lowercase "sha256=" prefix and 64 hex digits.
        if (!header.startsWith(PREFIX) || header.length() != PREFIX.length() + HEX_LENGTH) {
            throw new InvalidSignatureException(
                    HEADER + " must be 'sha256=' followed by 64 hex digits");
        }
        try {
            return HexFormat.of().parseHex(header, PREFIX.length(), header.length());
        } catch (IllegalArgumentException e) {
            throw new InvalidSignatureException(
                    HEADER + " must be 'sha256=' followed by 64 hex digits");
        }
    }

    private byte[] sign(byte[] body) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(new SecretKeySpec(secret.length > 0 ? secret : new byte[1], ALGORITHM));
            return mac.doFinal(body);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            // Every Java 17 runtime ships HmacSHA256; reaching this is a broken JDK.
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    @Override
    public String toString() {
        return "WebhookSignature[secret=" + (isConfigured() ? "****" : "(not set)") + "]";
    }
}
