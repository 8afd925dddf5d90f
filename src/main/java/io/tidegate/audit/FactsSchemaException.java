package io.tidegate.audit;

/**
 * An audit row whose facts cannot be read back: a field the schema requires is missing or of
 * the wrong type. The message names the row's schema version and the field by its JSON path
 * ({@code facts of schema 1 lack reviews[2].user}).
 */
public final class FactsSchemaException extends Exception {
    public FactsSchemaException(String message) {
        super(message);
    }
}
