package io.tidegate.secret;

import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;

/**
 * A credential read from the environment. Its {@code toString} never shows the value, so a
 * secret that slips into a log line or an exception message prints as {@code ****}.
 * An absent secret is {@link #ABSENT}, never null.
 */
public record Secret(String value) {
    public static final Secret ABSENT = new Secret("");

    public Secret {
        if (value == null) {
            throw new NullPointerException("value == null");
        }
    }

    public boolean isPresent() {
        return !value.isEmpty();
    }

    /** Constant-time comparison, so response timing does not leak how much of a guess matched. */
    public boolean matches(String candidate) {
        if (!isPresent() || candidate == null) {
            return false;
        }
        return MessageDigest.isEqual(
                value.getBytes(StandardCharsets.UTF_8), candidate.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
        return isPresent() ? "****" : "(not set)";
    }
}
