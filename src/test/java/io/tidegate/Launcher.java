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

    /**
     * As {@link #inCheckoutLayout}, but the jar holds the compiled main classes themselves and
     * names only jars on its {@code Class-Path}: class-data sharing archives classes from jars,
     * never from folders, so this is the layout a CDS test needs.
     */
    static Path inCheckoutLayoutWithClasses(Path root) throws IOException {
        Path launcher = inCheckoutLayout(root);
        Path jar = root.resolve("target/tidegate.jar");
        Manifest m = manifest(e -> e.endsWith(".jar"));
        Path classes = Path.of("target/classes");
        try (OutputStream out = Files.newOutputStream(jar);
                JarOutputStream j = new JarOutputStream(out, m);
                java.util.stream.Stream<Path> files = Files.walk(classes)) {
            for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                j.putNextEntry(new java.util.jar.JarEntry(
                        classes.relativize(f).toString().replace(File.separatorChar, '/')));
                Files.copy(f, j);
                j.closeEntry();
            }
        }
        return launcher;
    }

    static void writeJar(Path jar) throws IOException {
        try (OutputStream out = Files.newOutputStream(jar);
                JarOutputStream j = new JarOutputStream(out, manifest(e -> true))) {
            j.flush();
        }
    }

    private static Manifest manifest(java.util.function.Predicate<String> keep) {
        Manifest m = new Manifest();
        m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        m.getMainAttributes().put(Attributes.Name.MAIN_CLASS, "io.tidegate.Main");
        List<String> entries = new ArrayList<>();
        for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (!e.isBlank() && keep.test(e)) {
                entries.add(Path.of(e).toAbsolutePath().toUri().getRawPath());
            }
        }
        m.getMainAttributes().put(Attributes.Name.CLASS_PATH, String.join(" ", entries));
        return m;
    }
}
