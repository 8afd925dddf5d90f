package io.tidegate.wiring;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The embedded store cannot be used in {@code TIDEGATE_DATA_DIR}: it is a file, cannot be
 * written (read-only, full) or holds a database that is not one. {@code tidegate serve} prints
 * the one-line message and exits 2, as for any other bad setting; no stack trace.
 */
public final class DataDirException extends RuntimeException {
    /** Below this, the free space is named: SQLite's own error for a full disk can hide it. */
    static final long LOW_SPACE_BYTES = 16L * 1024 * 1024;

    private DataDirException(Path dir, String why) {
        super("TIDEGATE_DATA_DIR=" + dir + " cannot hold the store: " + oneLine(why), null,
                false, false);
    }

    /**
     * {@code why}, with what the directory's file system says when that is the likely cause: it
     * cannot be written (mounted read-only, or not this user's), or is nearly full. SQLite
     * reports a full disk in more than one way (SQLITE_FULL, a shared-memory I/O error), so the
     * operator is told the free space rather than left to guess.
     */
    static DataDirException naming(Path dir, String why) {
        return new DataDirException(dir, why + fileSystemNote(dir));
    }

    static String fileSystemNote(Path dir) {
        Path existing = dir.toAbsolutePath();
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            return "";
        }
        try {
            FileStore fs = Files.getFileStore(existing);
            // access(2) answers for the mount the path is on; the JDK's FileStore can name the
            // file system under a read-only bind mount instead
            if (fs.isReadOnly() || !Files.isWritable(existing)) {
                return " (" + existing + " cannot be written: a read-only file system, or no"
                        + " write permission)";
            }
            long free = fs.getUsableSpace();
            return free < LOW_SPACE_BYTES
                    ? " (its file system has " + (free / 1024) + " KiB free)" : "";
        } catch (IOException | SecurityException e) {
            return ""; // nothing more is known; the store's own error stands
        }
    }

    private static String oneLine(String text) {
        return io.tidegate.logging.SecretRedactor.redact(String.valueOf(text))
                .replaceAll("\\s+", " ").strip();
    }
}
