package io.tidegate.github;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * How Tidegate authenticates to GitHub's API. {@code toString} never shows a token.
 *
 * <p>A GitHub App signs a short JWT with its private key (PEM, PKCS#1 as GitHub hands it out, or
 * PKCS#8) and exchanges it for installation tokens. Without an installation id, the installation
 * is looked up per repository ({@code GET /repos/{owner}/{repo}/installation}).
 */
public sealed interface GitHubCredentials {
    record PersonalToken(String token) implements GitHubCredentials {
        public PersonalToken {
            Objects.requireNonNull(token, "token == null");
            if (token.isBlank()) {
                throw new IllegalArgumentException("token is blank");
            }
        }

        @Override
        public String toString() {
            return "PersonalToken[****]";
        }
    }

    record App(long appId, Path privateKeyFile, Optional<Long> installationId)
            implements GitHubCredentials {
        public App {
            if (appId < 1) {
                throw new IllegalArgumentException("appId must be positive, got " + appId);
            }
            Objects.requireNonNull(privateKeyFile, "privateKeyFile == null");
            Objects.requireNonNull(installationId, "installationId == null");
        }
    }
}
