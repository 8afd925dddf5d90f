package io.tidegate.policy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Where the files named under {@code repos:} are read from: the disk ({@link #DISK}, for the
 * server and the command line) or a kept policy set ({@link #of(Map)}, for replay, which must
 * never read today's files). A policy with {@code repos:} is one version made of several files;
 * {@link #sha256Of(Map)} is its content address.
 */
@FunctionalInterface
public interface PolicyFiles {
    /** A policy is kilobytes; a file far larger is a mistake, not something to read whole. */
    long MAX_BYTES = 1024 * 1024;

    /**
     * The text of the file at {@code path} (as resolved against the referring file);
     * {@link NoSuchFileException} when there is none, {@link TooLargeException} above
     * {@link #MAX_BYTES}.
     */
    String read(Path path) throws IOException;

    /** The files on disk, as UTF-8. */
    PolicyFiles DISK = path -> {
        if (Files.size(path) > MAX_BYTES) {
            throw new TooLargeException(path);
        }
        return Files.readString(path, StandardCharsets.UTF_8);
    };

    /** The files of a kept set by path ({@link Path#toString()}); any other is missing. */
    static PolicyFiles of(Map<String, String> files) {
        Map<String, String> copy = Map.copyOf(files);
        return path -> {
            String text = copy.get(path.toString());
            if (text == null) {
                throw new NoSuchFileException(path.toString());
            }
            return text;
        };
    }

    /**
     * The content address of a policy set, by path: with one file the SHA-256 of its text (as
     * {@link PolicySet#sha256()} has always been for a policy without {@code repos:}); with
     * several, the SHA-256 of the canonical listing {@code <path> NUL <sha256 of text> LF},
     * sorted by path, so a change in any file's text or path is a new version.
     */
    static String sha256Of(Map<String, String> files) {
        Objects.requireNonNull(files, "files == null");
        if (files.isEmpty()) {
            throw new IllegalArgumentException("a policy set has at least one file");
        }
        Map<String, String> hashes = new TreeMap<>();
        files.forEach((path, text) -> hashes.put(path, PolicyParser.sha256(text)));
        return PolicyParser.setSha256(hashes);
    }

    /** A file above {@link #MAX_BYTES}. */
    final class TooLargeException extends IOException {
        private static final long serialVersionUID = 1L;

        TooLargeException(Path path) {
            super("policy file \"" + path + "\" is larger than 1 MiB");
        }
    }
}
