package io.tidegate.wiring;

/**
 * The DynamoDB store cannot be used at start: the endpoint does not answer, the credentials are
 * refused, a table is missing. {@code tidegate serve} prints the one-line message, naming the
 * settings it used, and exits 2, as for a bad data directory ({@link DataDirException}); the AWS
 * SDK's stack trace and its retries' suppressed exceptions are not printed.
 */
public final class StoreUnavailableException extends RuntimeException {
    private StoreUnavailableException(String message) {
        super(message, null, false, false);
    }

    static StoreUnavailableException dynamoDb(Config.Storage storage, RuntimeException e) {
        String where = "AWS_REGION=" + (storage.awsRegion().isEmpty() ? "(the SDK's default)"
                : storage.awsRegion())
                + storage.dynamoDbEndpoint().map(u -> ", TIDEGATE_DYNAMODB_ENDPOINT=" + u)
                        .orElse("")
                + ", TIDEGATE_DYNAMODB_TABLE_PREFIX=" + storage.tablePrefix();
        return new StoreUnavailableException("TIDEGATE_STORE=dynamodb (" + where + ") cannot be"
                + " used: " + oneLine(String.valueOf(e.getMessage())));
    }

    private static String oneLine(String text) {
        return io.tidegate.logging.SecretRedactor.redact(text).replaceAll("\\s+", " ").strip();
    }
}
