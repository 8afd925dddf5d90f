package io.tidegate.audit;

import io.tidegate.store.SqliteStore;
import io.tidegate.store.Store;

/** {@link RepoSetReplayContract} on SQLite. */
class SqliteRepoSetReplayTest extends RepoSetReplayContract {
    @Override
    Store openStore() throws Exception {
        return SqliteStore.openIn(dir.resolve("data"));
    }
}
