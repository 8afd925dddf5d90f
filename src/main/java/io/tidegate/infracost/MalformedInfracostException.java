package io.tidegate.infracost;

/**
 * Infracost JSON that Tidegate cannot read: not JSON, an unsupported schema version, or a field
 * of the wrong shape. The message names the JSON path and what was expected, for example
 * {@code projects[2].breakdown.totalMonthlyCost: expected a decimal string or null, found true}.
 * It never carries a parser stack trace or the payload itself.
 */
public final class MalformedInfracostException extends RuntimeException {
    public MalformedInfracostException(String message) {
        super(message, null, false, false);
    }
}
