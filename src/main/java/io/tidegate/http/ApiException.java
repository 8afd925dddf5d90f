package io.tidegate.http;

/**
 * Bad input from a caller, answered with {@code status} and {@code message} as JSON. Thrown by
 * route handlers; mapped in one place by {@link WebServer}. Never used for failures of our own
 * dependencies (those are I/O errors and answer 5xx).
 */
public class ApiException extends RuntimeException {
    private final int status;

    public ApiException(int status, String message) {
        super(message, null, false, false);
        if (status < 400 || status > 499) {
            throw new IllegalArgumentException("ApiException is for 4xx answers, got " + status);
        }
        this.status = status;
    }

    public int status() {
        return status;
    }

    public static ApiException badRequest(String message) {
        return new ApiException(400, message);
    }

    public static ApiException unauthorized(String message) {
        return new ApiException(401, message);
    }

    public static ApiException notFound(String message) {
        return new ApiException(404, message);
    }
}
