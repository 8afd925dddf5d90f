package io.tidegate.web;

/** A query or form value the dashboard cannot use: answered 400 naming it, as HTML or JSON. */
final class BadParameterException extends RuntimeException {
    BadParameterException(String message) {
        super(message, null, false, false);
    }
}
