package io.tidegate.github;

import java.io.IOException;

/**
 * Raised inside the HTTP stack ({@link CallPolicy}) when a call is given up, so the reason
 * survives hub4j's exception wrapping and becomes a {@link GitHubException} with the right
 * {@link GitHubException.Failure}. Not a {@code SocketException}, so hub4j does not retry it again.
 */
final class CallFailure extends IOException {
    private final GitHubException.Failure failure;

    CallFailure(GitHubException.Failure failure, String detail, Throwable cause) {
        super(detail, cause);
        this.failure = failure;
    }

    GitHubException.Failure failure() {
        return failure;
    }
}
