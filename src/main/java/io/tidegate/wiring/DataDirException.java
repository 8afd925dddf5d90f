package io.tidegate.wiring;

/**
 * The embedded store cannot be used in {@code TIDEGATE_DATA_DIR}: it is a file, cannot be
 * written (read-only, full) or holds a database that is not one. {@code tidegate serve} prints
 * the one-line message and exits 2, as for any other bad setting; no stack trace.
 */
public final class DataDirException extends RuntimeException {
    DataDirException(java.nio.file.Path dir, String why) {
        super("TIDEGATE_DATA_DIR=" + dir + " cannot hold the store: " + oneLine(why), null,
                false, false);
    }

    private static String oneLine(String text) {
        return io.tidegate.logging.SecretRedactor.redact(String.valueOf(text))
                .replaceAll("\\s+", " ").strip();
    }
}
