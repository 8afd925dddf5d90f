package io.tidegate;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/**
 * A copy of the real {@code bin/tidegate} in a folder of its own, with a {@code tidegate.jar}
 * where the launcher looks for it. The jar holds only a manifest: {@code Main-Class} and a
 * {@code Class-Path} of this test run's classes, so {@code java -jar} runs the code under test
 * before {@code package} has built the real jar (tests run first in {@code ./mvnw verify}).
 */
final class Launcher {
    private Launcher() {}

    /** {@code root/bin/tidegate} and {@code root/target/tidegate.jar}, as in a checkout. */
    static Path inCheckoutLayout(Path root) throws IOException {
        Path bin = Files.createDirectories(root.resolve("bin"));
        Files.copy(Path.of("bin/tidegate"), bin.resolve("tidegate"),
                StandardCopyOption.REPLACE_EXISTING);
        writeJar(Files.createDirectories(root.resolve("target")).resolve("tidegate.jar"));
        return bin.resolve("tidegate");
    }

    static void writeJar(Path jar) throws IOException {
        Manifest m = new Manifest();
        m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        m.getMainAttributes().put(Attributes.Name.MAIN_CLASS, "io.tidegate.Main");
        List<String> entries = new ArrayList<>();
        for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (!e.isBlank()) {
                entries.add(Path.of(e).toAbsolutePath().toUri().getRawPath());
            }
        }
        m.getMainAttributes().put(Attributes.Name.CLASS_PATH, String.join(" ", entries));
        try (OutputStream out = Files.newOutputStream(jar);
                JarOutputStream j = new JarOutputStream(out, m)) {
            j.flush();
        }
    }
}
