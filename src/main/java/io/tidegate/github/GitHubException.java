package io.tidegate.github;

import java.io.IOException;
import java.util.Objects;

/**
 * GitHub could not be read or written: {@link #what()} says what Tidegate was trying to do
 * ("read pull request acme/infra#7"), {@link #failure()} why. Callers that needed facts deny with
 * this message; an outbox retries a failed write later.
 *
 * <p>A 404 is a response, not a transport failure, but it still means the fact is not known, so
 * it is reported here as {@link Failure#NOT_FOUND} rather than as an empty answer.
 */
public final class GitHubException extends IOException {
    /** Why the call failed; {@link #isRetryable()} tells an outbox whether to try again. */
    public enum Failure {
        NOT_FOUND(false),
        UNAUTHORIZED(false),
        FORBIDDEN(false),
        RATE_LIMITED(true),
        SERVER_ERROR(true),
        TIMEOUT(true),
        UNREACHABLE(true),
        BAD_RESPONSE(true);

        private final boolean retryable;

        Failure(boolean retryable) {
            this.retryable = retryable;
        }
    }

    private final String what;
    private final Failure failure;

    public GitHubException(String what, Failure failure, String detail, Throwable cause) {
        super("could not " + Objects.requireNonNull(what, "what == null") + ": "
                + Objects.requireNonNull(detail, "detail == null"), cause);
        this.what = what;
        this.failure = Objects.requireNonNull(failure, "failure == null");
    }

    public String what() {
        return what;
    }

    public Failure failure() {
        return failure;
    }

    public boolean isRetryable() {
        return failure.retryable;
    }
}
