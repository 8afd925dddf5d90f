package io.tidegate.github;

/**
 * A webhook delivery whose {@code X-Hub-Signature-256} is missing, malformed or wrong, or that
 * arrived while no webhook secret is configured. Bad input from the caller: the HTTP layer
 * answers 401 and parses nothing.
 */
public final class InvalidSignatureException extends Exception {
    public InvalidSignatureException(String message) {
        super(message, null, false, false);
    }
}
