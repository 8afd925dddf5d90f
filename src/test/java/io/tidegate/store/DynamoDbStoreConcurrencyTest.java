package io.tidegate.store;

import org.junit.jupiter.api.Tag;

/** Two DynamoDB store instances, each with its own client, over the same tables. */
@Tag("slow")
class DynamoDbStoreConcurrencyTest extends StoreConcurrencyContract {
    private String prefix;

    @Override
    Store openFirst() {
        prefix = DynamoDbLocal.freshPrefix();
        return DynamoDbStore.open(DynamoDbLocal.get().client(), prefix, true);
    }

    @Override
    Store openSecond() {
        return DynamoDbStore.open(DynamoDbLocal.get().client(), prefix, false);
    }
}
