package io.tidegate.atlantis;

/**
 * A request body that exceeded its size limit while being read (HTTP 413). Thrown from inside
 * {@link LimitedInputStream#read}, so it passes through JSON parsers unchanged.
 */
public final class PayloadTooLargeException extends RuntimeException {
    private final long limit;

    public PayloadTooLargeException(String what, long limit) {
        super(what + " is larger than the limit of " + limit + " bytes", null, false, false);
        this.limit = limit;
    }

    public long limit() {
        return limit;
    }
}
