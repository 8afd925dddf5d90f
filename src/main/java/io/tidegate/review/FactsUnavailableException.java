package io.tidegate.review;

/**
 * The facts a decision needs could not be gathered (GitHub down, rate limited, PR not found, the
 * store not answering). Callers deny with this message: without facts the gate says no.
 */
public final class FactsUnavailableException extends Exception {
    public FactsUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
