package io.tidegate.review;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The SHA-256 of the policy file, as audit rows name the policy a decision used
 * ({@code sha256:ab12...}). Re-read only when the file's modification time or size changes.
 * An unreadable file hashes as {@code unreadable}: the decision itself already denies then.
 * Safe for concurrent use.
 */
public final class PolicyFileHash implements Supplier<String> {
    private final Path file;
    private volatile Seen seen = new Seen(FileTime.fromMillis(-1), -1, "unreadable");

    private record Seen(FileTime modified, long size, String hash) {}

    public PolicyFileHash(Path file) {
        this.file = Objects.requireNonNull(file, "file == null");
    }

    @Override
    public String get() {
        try {
            FileTime modified = Files.getLastModifiedTime(file);
            long size = Files.size(file);
            Seen last = seen;
            if (last.modified().equals(modified) && last.size() == size) {
                return last.hash();
            }
            String hash = "sha256:" + HexFormat.of().formatHex(sha256(Files.readAllBytes(file)));
            seen = new Seen(modified, size, hash);
            return hash;
        } catch (IOException e) {
            return "unreadable";
        }
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError("every JVM has SHA-256", e);
        }
    }
}
