package io.tidegate.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Properties;
import java.util.zip.CRC32;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteJDBCLoader;
import org.sqlite.util.LibraryLoaderUtil;

/**
 * Issue 19: SQLite's JNI library is copied into the data directory once and loaded from there,
 * instead of a new extraction into the temp directory at every start. The copy is trusted only
 * while its stamp names this driver jar, this JVM and platform, and its bytes still have the
 * CRC-32 the jar lists; anything else is copied again, and a failure leaves the driver to its
 * own extraction. (MainTest checks a real {@code serve} loads the copy.)
 */
class SqliteNativeLibraryTest {
    @TempDir
    Path dataDir;

    @Test
    void aLibraryTheDriverLoadedItselfIsSeenInTheMemoryMapSoNoSecondCopyIsLoaded() {
        // lines as Linux writes them in /proc/self/maps
        assertThat(SqliteNativeLibrary.alreadyMapped("7f2e79c00000-7f2e79c26000 r--p 00000000 "
                + "00:2e 1234   /tmp/sqlite-3.54.1.0-974dc9bd-libsqlitejdbc.so\n")).isTrue();
        assertThat(SqliteNativeLibrary.alreadyMapped("7f2e79c00000-7f2e79c26000 r-xp 00000000 "
                + "00:2e 99 /data/native/sqlite-fcfc4b7c/libsqlitejdbc.so\n")).isTrue();
        assertThat(SqliteNativeLibrary.alreadyMapped("7f2e79c00000-7f2e79c26000 r--p 00000000 "
                + "00:2e 1234   /usr/lib/libc.so.6\n55d0-55d1 rw-p 0 0 0 [heap]\n")).isFalse();
        assertThat(SqliteNativeLibrary.alreadyMapped("")).isFalse();
    }

    @Test
    void theLibraryIsCopiedOnceWithTheBytesTheDriverShips() throws IOException {
        Path lib = SqliteNativeLibrary.copyIn(dataDir).orElseThrow();

        assertThat(lib).startsWith(dataDir.resolve("native"));
        assertThat(lib.getFileName().toString()).isEqualTo(LibraryLoaderUtil.getNativeLibName());
        assertThat(crc(Files.readAllBytes(lib))).isEqualTo(crc(shipped()));
        assertThat(dataDir.resolve("native").resolve(SqliteNativeLibrary.STAMP)).isRegularFile();

        FileTime written = FileTime.from(Instant.parse("2026-01-01T00:00:00Z"));
        Files.setLastModifiedTime(lib, written);
        assertThat(SqliteNativeLibrary.copyIn(dataDir)).contains(lib);
        assertThat(Files.getLastModifiedTime(lib)).as("the stamped copy is not written again")
                .isEqualTo(written);
    }

    @Test
    void aDamagedCopyIsWrittenAgain() throws IOException {
        Path lib = SqliteNativeLibrary.copyIn(dataDir).orElseThrow();
        byte[] bytes = Files.readAllBytes(lib);
        bytes[bytes.length / 2] ^= 0x5a; // same size, other bytes
        Files.write(lib, bytes);

        assertThat(SqliteNativeLibrary.copyIn(dataDir)).contains(lib);

        assertThat(crc(Files.readAllBytes(lib))).isEqualTo(crc(shipped()));
    }

    @Test
    void aStampForAnotherDriverJarIsNotTrusted() throws IOException {
        Path lib = SqliteNativeLibrary.copyIn(dataDir).orElseThrow();
        Path stamp = dataDir.resolve("native").resolve(SqliteNativeLibrary.STAMP);
        Files.writeString(stamp, Files.readString(stamp).replaceAll("jar.size=\\d+",
                "jar.size=1"));
        assertThat(stampOf(stamp).getProperty("jar.size")).isEqualTo("1");
        Files.write(lib, new byte[] {1, 2, 3}); // and the copy it names is not what ships

        assertThat(SqliteNativeLibrary.copyIn(dataDir)).contains(lib);

        assertThat(crc(Files.readAllBytes(lib))).isEqualTo(crc(shipped()));
        assertThat(stampOf(stamp).getProperty("jar.size")).isNotEqualTo("1");
    }

    @Test
    void aStampWithADamagedNumberIsWrittenAgain() throws IOException {
        Path lib = SqliteNativeLibrary.copyIn(dataDir).orElseThrow();
        Path stamp = dataDir.resolve("native").resolve(SqliteNativeLibrary.STAMP);
        Files.writeString(stamp, Files.readString(stamp).replaceAll("crc32=\\d+", "crc32=x"));
        assertThat(stampOf(stamp).getProperty("crc32")).isEqualTo("x");

        assertThat(SqliteNativeLibrary.copyIn(dataDir)).contains(lib);

        assertThat(stampOf(stamp).getProperty("crc32")).isEqualTo(Long.toString(crc(shipped())));
    }

    @Test
    void aStampNamingAFileOutsideItsFolderIsNotFollowed() throws IOException {
        SqliteNativeLibrary.copyIn(dataDir).orElseThrow();
        Path stamp = dataDir.resolve("native").resolve(SqliteNativeLibrary.STAMP);
        Files.writeString(stamp, Files.readString(stamp).replaceAll("library=.*",
                "library=../../elsewhere/libsqlitejdbc.so"));

        Path lib = SqliteNativeLibrary.copyIn(dataDir).orElseThrow();

        assertThat(lib).startsWith(dataDir.resolve("native"));
        assertThat(stampOf(stamp).getProperty("library")).doesNotContain("..");
    }

    @Test
    void aDataDirectoryThatCannotHoldTheCopyLeavesTheDriverToItsOwn() throws IOException {
        Path file = dataDir.resolve("not-a-directory");
        Files.writeString(file, "x");

        assertThat(SqliteNativeLibrary.copyIn(file)).isEmpty();
    }

    private static byte[] shipped() throws IOException {
        String resource = LibraryLoaderUtil.getNativeLibResourcePath() + "/"
                + LibraryLoaderUtil.getNativeLibName();
        try (InputStream in = SQLiteJDBCLoader.class.getResourceAsStream(resource)) {
            assertThat(in).as(resource).isNotNull();
            return in.readAllBytes();
        }
    }

    private static long crc(byte[] bytes) {
        CRC32 crc = new CRC32();
        crc.update(bytes);
        return crc.getValue();
    }

    private static Properties stampOf(Path stamp) throws IOException {
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(stamp)) {
            p.load(in);
        }
        return p;
    }
}
