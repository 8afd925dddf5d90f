package io.tidegate;

import io.tidegate.http.Readiness;
import io.tidegate.store.Store;
import io.tidegate.store.StoreException;

/** Ready when the store answers a round trip (the SQLite file reads, DynamoDB responds). */
final class StoreReadiness implements Readiness {
    private final Store store;

    StoreReadiness(Store store) {
        this.store = store;
    }

    @Override
    public Check check() {
        try {
            store.ping();
            return Check.ready("store", store.describe() + " answers");
        } catch (StoreException e) {
            return Check.failing("store", store.describe() + " does not answer: "
                    + e.getMessage());
        }
    }
}
