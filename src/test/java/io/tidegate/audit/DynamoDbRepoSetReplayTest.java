package io.tidegate.audit;

import io.tidegate.store.DynamoDbLocal;
import io.tidegate.store.DynamoDbStore;
import io.tidegate.store.Store;

/** {@link RepoSetReplayContract} on DynamoDB Local over real HTTP. */
class DynamoDbRepoSetReplayTest extends RepoSetReplayContract {
    @Override
    Store openStore() {
        return DynamoDbStore.open(DynamoDbLocal.get().client(), DynamoDbLocal.freshPrefix(),
                true);
    }
}
