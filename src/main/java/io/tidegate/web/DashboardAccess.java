package io.tidegate.web;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Who may read the dashboard: anyone with public read on; otherwise a caller presenting the API
 * token or the dashboard token, once, through the login form (or as a bearer header, for
 * scripts). A successful login becomes a session cookie that carries no token: its value is
 * {@code expiry.mac}, an HMAC-SHA256 over the expiry keyed by a hash of the configured tokens.
 * So sessions survive restarts and work on every replica, and changing either token ends them
 * all. Tokens are compared by the predicates handed in (constant time); this class never holds
 * a token, only the key derived from them. Pure apart from the random source; now is passed in.
 */
public final class DashboardAccess {
    /** How long a login lasts. */
    public static final Duration SESSION = Duration.ofHours(12);
    public static final String SESSION_COOKIE = "tidegate_session";
    public static final String CSRF_COOKIE = "tidegate_login_csrf";

    private final List<Predicate<String>> tokens;
    private final boolean publicRead;
    private final byte[] sessionKey;
    private final SecureRandom random = new SecureRandom();

    /**
     * @param tokens     checks of the tokens that may log in (API token, dashboard token);
     *                   an absent token's check answers false
     * @param keyMaterial the configured tokens' values, hashed here into the session key
     */
    public DashboardAccess(List<Predicate<String>> tokens, boolean publicRead,
            List<String> keyMaterial) {
        this.tokens = List.copyOf(Objects.requireNonNull(tokens, "tokens == null"));
        this.publicRead = publicRead;
        this.sessionKey = sha256(String.join("\u0000", keyMaterial) + "\u0000tidegate-session");
    }

    public boolean isPublic() {
        return publicRead;
    }

    /** Whether any token is configured, so a login can ever succeed. */
    public boolean canLogIn() {
        return tokens.stream().anyMatch(t -> !t.test(""));
    }

    /** Whether {@code candidate} is one of the configured tokens. */
    public boolean isValidToken(String candidate) {
        if (candidate == null || candidate.isEmpty()) {
            return false;
        }
        return tokens.stream().anyMatch(t -> t.test(candidate));
    }

    /** A new session cookie value, valid for {@link #SESSION} from {@code now}. */
    public String newSession(Instant now) {
        String expiry = Long.toString(now.plus(SESSION).getEpochSecond());
        return expiry + "." + mac(expiry);
    }

    /** Whether a session cookie value is ours and not expired. */
    public boolean isValidSession(String value, Instant now) {
        if (value == null) {
            return false;
        }
        int dot = value.indexOf('.');
        if (dot <= 0) {
            return false;
        }
        String expiry = value.substring(0, dot);
        long seconds;
        try {
            seconds = Long.parseLong(expiry);
        } catch (NumberFormatException e) {
            return false;
        }
        byte[] given = value.substring(dot + 1).getBytes(StandardCharsets.US_ASCII);
        byte[] expected = mac(expiry).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(given, expected)
                && now.isBefore(Instant.ofEpochSecond(seconds));
    }

    /**
     * Whether a request may read: public, a valid session cookie, or a valid bearer token.
     *
     * @param authorization the {@code Authorization} header, if any
     */
    public boolean mayRead(Optional<String> sessionCookie, Optional<String> authorization,
            Instant now) {
        if (publicRead) {
            return true;
        }
        if (sessionCookie.isPresent() && isValidSession(sessionCookie.get(), now)) {
            return true;
        }
        return authorization.filter(h -> h.regionMatches(true, 0, "Bearer ", 0, 7))
                .map(h -> isValidToken(h.substring(7).trim())).orElse(false);
    }

    /** A random value for the login form's double-submit CSRF check. */
    public String newCsrfToken() {
        byte[] b = new byte[24];
        random.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    /** The form's CSRF field must equal the cookie set with the form, both present. */
    public static boolean csrfMatches(Optional<String> cookie, Optional<String> field) {
        return cookie.isPresent() && field.isPresent() && !cookie.get().isEmpty()
                && MessageDigest.isEqual(cookie.get().getBytes(StandardCharsets.UTF_8),
                        field.get().getBytes(StandardCharsets.UTF_8));
    }

    private String mac(String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(sessionKey, "HmacSHA256"));
            return Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(mac.doFinal(data.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }
}
