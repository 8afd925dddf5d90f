package io.tidegate.github;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * A commit status as Tidegate writes it ({@code tidegate/<environment>}). GitHub caps the
 * description at 140 characters; {@link #of} shortens longer text with an ellipsis, the
 * constructor refuses it.
 */
public record CommitStatus(
        String context,
        State state,
        String description,
        Optional<String> targetUrl) {
    public static final int MAX_DESCRIPTION = 140;

    /** GitHub's status states. */
    public enum State {
        PENDING, SUCCESS, FAILURE, ERROR;

        /** As GitHub's JSON spells it. */
        public String apiName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public CommitStatus {
        Objects.requireNonNull(context, "context == null");
        Objects.requireNonNull(state, "state == null");
        Objects.requireNonNull(description, "description == null");
        Objects.requireNonNull(targetUrl, "targetUrl == null");
        if (context.isBlank()) {
            throw new IllegalArgumentException("context is blank");
        }
        if (description.length() > MAX_DESCRIPTION) {
            throw new IllegalArgumentException("description is " + description.length()
                    + " characters, GitHub allows " + MAX_DESCRIPTION);
        }
    }

    /** {@code tidegate/<environment>}, shortening the description to fit. */
    public static CommitStatus of(String environment, State state, String description,
            Optional<String> targetUrl) {
        String d = description.strip();
        if (d.length() > MAX_DESCRIPTION) {
            d = d.substring(0, MAX_DESCRIPTION - 1).stripTrailing() + "…";
        }
        return new CommitStatus("tidegate/" + environment, state, d, targetUrl);
    }
}
