package io.tidegate.atlantis;

/**
 * A {@code terraform show -json} upload Tidegate cannot count: not JSON, not a plan, or a
 * resource change of the wrong shape. The message names the JSON path, e.g.
 * {@code resource_changes[3].change.actions[0]: unknown action "explode"}; it never carries the
 * parser's stack trace or plan contents beyond the offending token.
 */
public final class MalformedPlanException extends RuntimeException {
    public MalformedPlanException(String message) {
        super(message, null, false, false);
    }
}
