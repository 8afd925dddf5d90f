package io.tidegate.store;

/**
 * The store could not be reached or answered with an error (SQLite I/O, DynamoDB throttling or
 * a missing table). Never used for "not found" or "someone else holds it": those are answers,
 * returned as values.
 */
public final class StoreException extends RuntimeException {
    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }

    public StoreException(String message) {
        super(message);
    }
}
