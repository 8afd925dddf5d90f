package io.tidegate.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.Writer;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLConnection;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteJDBCLoader;
import org.sqlite.util.LibraryLoaderUtil;

/**
 * Where SQLite's JNI library is loaded from. On its own, sqlite-jdbc finds its platform by
 * running {@code uname} twice, copies the library out of the jar into the temp directory at
 * every start, then reads the copy back one {@code read()} per byte (about 1 MB, in the
 * interpreter): 0.15-0.2 s of a start that the main thread waited for (issue 19).
 *
 * <p>Tidegate keeps one copy in the data directory instead ({@code native/}) and points the
 * driver at it with {@code org.sqlite.lib.path}, the driver's documented setting. A stamp beside
 * it records which driver jar (path, size, time), which JVM and platform it came from, and its
 * size and CRC-32 as the jar lists them. A start whose stamp matches checks the copy's CRC-32
 * (a millisecond) and loads it; any other start copies the library again, through a temporary
 * file and an atomic rename, so a process that has the old copy mapped keeps it.
 *
 * <p>Nothing here can stop a start: when the copy cannot be written or checked (a read-only or
 * full disk, a driver outside a jar) the driver extracts the library as it always did, and when
 * the copy cannot be loaded (a data directory mounted {@code noexec}) one warning says so and
 * the driver does the same. A {@code org.sqlite.lib.path} the operator set is left alone.
 */
public final class SqliteNativeLibrary {
    private static final Logger log = LoggerFactory.getLogger(SqliteNativeLibrary.class);
    static final String PATH_PROPERTY = "org.sqlite.lib.path";
    static final String NAME_PROPERTY = "org.sqlite.lib.name";
    static final String STAMP = "sqlite.stamp";
    private static final String LIBRARY = "library";
    private static final String SIZE = "size";
    private static final String CRC = "crc32";
    private static boolean triedOnce;

    private SqliteNativeLibrary() {}

    /**
     * Loads the driver's library from the copy in {@code dataDir}, writing the copy first when
     * needed. The two system properties are set only while the driver loads and are then
     * removed: other code in the JVM reads them too (DynamoDB Local's own loader looks there
     * for its sqlite4java library and gives up when it is not there).
     */
    public static synchronized void useCopyIn(Path dataDir) {
        // the library loads once per JVM: later stores (tests, CLI commands) need no copy
        if (triedOnce || System.getProperty(PATH_PROPERTY) != null) {
            return;
        }
        triedOnce = true;
        if (alreadyMapped(readMaps())) {
            // The driver loaded its own copy already (SQLite used before any store opened, as
            // some tests do): a second copy of the library in one process crashed the JVM
            // (SIGSEGV at address 0 in libsqlitejdbc, seen twice in test runs).
            return;
        }
        copyIn(dataDir).filter(SqliteNativeLibrary::loads).ifPresent(lib -> {
            System.setProperty(NAME_PROPERTY, lib.getFileName().toString());
            System.setProperty(PATH_PROPERTY, lib.getParent().toString());
            try {
                SQLiteJDBCLoader.initialize(); // once per JVM; later calls return at once
            } catch (Exception e) {
                log.debug("SQLite's library did not load from {}; the driver extracts its own: {}",
                        lib, e.toString());
            } finally {
                System.clearProperty(PATH_PROPERTY);
                System.clearProperty(NAME_PROPERTY);
            }
        });
    }

    /** This process's memory map ({@code /proc/self/maps}); empty where there is none. */
    private static String readMaps() {
        try {
            return Files.readString(Path.of("/proc/self/maps"), StandardCharsets.ISO_8859_1);
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    /** Whether a memory map lists SQLite's JNI library (any copy of it) as loaded. */
    static boolean alreadyMapped(String maps) {
        return maps.lines().anyMatch(l -> l.endsWith("libsqlitejdbc.so")
                || l.endsWith("libsqlitejdbc.dylib") || l.contains("/libsqlitejdbc.so "));
    }

    /**
     * Whether the copy loads: a data directory mounted {@code noexec} holds it but cannot map it.
     * Loaded here first because the driver, given a copy that does not load, logs an error with
     * a stack trace before it extracts its own; this says it in one line instead. The driver's
     * own {@code System.load} of the same file, from the same class loader, is then a no-op.
     */
    private static boolean loads(Path lib) {
        try {
            System.load(lib.toAbsolutePath().toString());
            return true;
        } catch (UnsatisfiedLinkError | SecurityException e) {
            log.warn("SQLite's library cannot be loaded from {} (a noexec mount?): the driver"
                    + " extracts its own copy to the temp directory at each start: {}",
                    lib.getParent(), e.getMessage());
            return false;
        }
    }

    /** The checked copy of this platform's library in {@code dataDir}; empty when there is none. */
    static Optional<Path> copyIn(Path dataDir) {
        Path dir = dataDir.resolve("native");
        try {
            Map<String, String> source = source();
            Optional<Path> stamped = stamped(dir, source);
            return stamped.isPresent() ? stamped : extract(dir, source);
        } catch (IOException | URISyntaxException | RuntimeException e) {
            log.debug("no copy of SQLite's native library in {}; the driver extracts its own: {}",
                    dir, e.toString());
            return Optional.empty();
        }
    }

    /** What the copy came from: the driver's jar as it is on disk, the JVM, the platform. */
    private static Map<String, String> source() throws IOException, URISyntaxException {
        Path jar = Path.of(SQLiteJDBCLoader.class.getProtectionDomain().getCodeSource()
                .getLocation().toURI());
        return Map.of("jar", jar.toAbsolutePath().toString(),
                "jar.size", Long.toString(Files.size(jar)),
                "jar.modified", Files.getLastModifiedTime(jar).toString(),
                "java.home", System.getProperty("java.home", ""),
                "os.name", System.getProperty("os.name", ""),
                "os.arch", System.getProperty("os.arch", ""));
    }

    /** The copy the stamp names, when the stamp is for this source and the copy is intact. */
    private static Optional<Path> stamped(Path dir, Map<String, String> source)
            throws IOException {
        Path stamp = dir.resolve(STAMP);
        if (!Files.isRegularFile(stamp)) {
            return Optional.empty();
        }
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(stamp, StandardCharsets.UTF_8)) {
            p.load(in);
        }
        for (Map.Entry<String, String> e : source.entrySet()) {
            if (!e.getValue().equals(p.getProperty(e.getKey()))) {
                return Optional.empty();
            }
        }
        String library = p.getProperty(LIBRARY, "");
        Path lib = dir.resolve(library).normalize();
        if (library.isEmpty() || !lib.startsWith(dir.normalize())) {
            return Optional.empty();
        }
        try {
            return intact(lib, Long.parseLong(p.getProperty(SIZE, "-1")),
                    Long.parseLong(p.getProperty(CRC, "-1"))) ? Optional.of(lib) : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty(); // a damaged stamp: the copy is written and stamped again
        }
    }

    /** Copies this platform's library out of the jar (the driver's own lookup) and stamps it. */
    private static Optional<Path> extract(Path dir, Map<String, String> source)
            throws IOException {
        String name = LibraryLoaderUtil.getNativeLibName();
        String resource = LibraryLoaderUtil.getNativeLibResourcePath() + "/" + name;
        Optional<ZipEntry> entry = jarEntry(SQLiteJDBCLoader.class.getResource(resource));
        if (entry.isEmpty()) {
            return Optional.empty();
        }
        long size = entry.get().getSize();
        long crc = entry.get().getCrc();
        String library = "sqlite-" + Long.toHexString(crc) + "/" + name;
        Path lib = dir.resolve(library);
        if (!intact(lib, size, crc)) {
            Files.createDirectories(lib.getParent());
            try (InputStream in = SQLiteJDBCLoader.class.getResourceAsStream(resource)) {
                replace(lib, partial -> Files.copy(in, partial,
                        StandardCopyOption.REPLACE_EXISTING));
            }
            if (!intact(lib, size, crc)) {
                return Optional.empty();
            }
        }
        Properties stamp = new Properties();
        stamp.putAll(source);
        stamp.setProperty(LIBRARY, library);
        stamp.setProperty(SIZE, Long.toString(size));
        stamp.setProperty(CRC, Long.toString(crc));
        replace(dir.resolve(STAMP), partial -> {
            try (Writer out = Files.newBufferedWriter(partial, StandardCharsets.UTF_8)) {
                stamp.store(out, "the copy of SQLite's native library Tidegate loads");
            }
        });
        return Optional.of(lib);
    }

    /** The library's entry in the jar that holds it, with the size and CRC-32 the jar lists. */
    private static Optional<ZipEntry> jarEntry(URL url) throws IOException {
        if (url == null) {
            return Optional.empty();
        }
        URLConnection c = url.openConnection();
        if (!(c instanceof JarURLConnection jar)) {
            return Optional.empty();
        }
        ZipEntry entry = jar.getJarEntry();
        return entry == null || entry.getCrc() < 0 || entry.getSize() < 0
                ? Optional.empty() : Optional.of(entry);
    }

    private static boolean intact(Path lib, long size, long crc) throws IOException {
        if (!Files.isRegularFile(lib) || Files.size(lib) != size) {
            return false;
        }
        CRC32 sum = new CRC32();
        byte[] buffer = new byte[64 * 1024];
        try (InputStream in = Files.newInputStream(lib)) {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                sum.update(buffer, 0, n);
            }
        }
        return sum.getValue() == crc;
    }

    private interface Writing {
        void to(Path partial) throws IOException;
    }

    /** Writes beside {@code target}, then renames over it: never a half-written file there. */
    private static void replace(Path target, Writing writing) throws IOException {
        Path partial = Files.createTempFile(target.getParent(), target.getFileName().toString(),
                ".part");
        try {
            writing.to(partial);
            Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(partial);
        }
    }
}
