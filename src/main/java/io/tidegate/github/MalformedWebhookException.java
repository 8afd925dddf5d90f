package io.tidegate.github;

import java.util.Objects;

/**
 * A signed webhook delivery that is not what GitHub sends: not JSON, or a field Tidegate needs is
 * missing or has the wrong type. {@link #path()} names the offender as a JSON path such as
 * {@code pull_request.head.sha} (or a header name such as {@code X-GitHub-Event}); the HTTP layer
 * answers 400 with {@link #getMessage()}.
 */
public final class MalformedWebhookException extends Exception {
    private final String path;

    public MalformedWebhookException(String path, String problem) {
        super(Objects.requireNonNull(path, "path == null") + ": "
                + Objects.requireNonNull(problem, "problem == null"), null, false, false);
        this.path = path;
    }

    /** The JSON path (or header) that is wrong, e.g. {@code review.state}. */
    public String path() {
        return path;
    }
}
