package io.tidegate.store;

import java.nio.file.Path;

import org.junit.jupiter.api.io.TempDir;

/** Two SQLite store instances on one file: two connections, SQLite's file lock between them. */
class SqliteStoreConcurrencyTest extends StoreConcurrencyContract {
    @TempDir
    Path dir;

    @Override
    Store openFirst() {
        return SqliteStore.openIn(dir);
    }

    @Override
    Store openSecond() {
        return SqliteStore.openIn(dir);
    }
}
