package io.tidegate.github;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The GitHub App's private key file cannot be used: missing, unreadable, or not a PEM RSA key.
 * A setting that is wrong, so {@code tidegate serve} prints the one-line message, naming
 * {@code GITHUB_APP_PRIVATE_KEY_FILE}, and exits 2 (as for any other bad setting); the message
 * never holds the file's content.
 */
public final class PrivateKeyException extends IOException {
    PrivateKeyException(Path file, String why, Throwable cause) {
        super("GITHUB_APP_PRIVATE_KEY_FILE=" + file + ": the GitHub App's private key cannot be"
                + " read: " + why, cause);
    }
}
