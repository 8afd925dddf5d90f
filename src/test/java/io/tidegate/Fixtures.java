package io.tidegate;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The real payloads in {@code ../shared/fixtures}, located through the system property
 * {@code tidegate.fixtures} (Maven sets it; CI passes it explicitly). A missing folder fails the
 * test loudly: a silently skipped fixture test proves nothing.
 */
public final class Fixtures {
    public static final String PROPERTY = "tidegate.fixtures";

    private Fixtures() {}

    public static Path root() {
        Path root = Path.of(System.getProperty(PROPERTY, "../shared/fixtures"));
        if (!Files.isDirectory(root)) {
            throw new IllegalStateException("fixtures folder not found at " + root.toAbsolutePath()
                    + " (set -D" + PROPERTY + "=... or keep ../shared beside the checkout)");
        }
        return root;
    }

    public static Path path(String relative) {
        Path p = root().resolve(relative);
        if (!Files.isRegularFile(p)) {
            throw new IllegalStateException("fixture missing: " + p.toAbsolutePath());
        }
        return p;
    }

    public static byte[] bytes(String relative) {
        try {
            return Files.readAllBytes(path(relative));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
