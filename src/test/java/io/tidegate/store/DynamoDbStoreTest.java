package io.tidegate.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveStatus;

/**
 * The contract on DynamoDB Local over real HTTP, plus what only this engine does: table
 * creation or verification, TTL attributes, and the HTTP client it speaks through.
 */
@Tag("slow")
class DynamoDbStoreTest extends StoreContract {
    @Override
    Store openStore() {
        return DynamoDbLocal.get().openFresh();
    }

    @Test
    void clientSpeaksThroughUrlConnectionNotApache() {
        store.ping();
        assertThat(DynamoDbLocal.get().userAgents).isNotEmpty()
                .allSatisfy(ua -> assertThat(ua).contains("md/http#UrlConnection")
                        .doesNotContain("Apache"));
    }

    @Test
    void missingTablesAreNamedWhenCreationIsOff() {
        String prefix = DynamoDbLocal.freshPrefix();
        DynamoDbClient client = DynamoDbLocal.get().client();
        assertThatThrownBy(() -> DynamoDbStore.open(client, prefix, false))
                .isInstanceOf(StoreException.class)
                .hasMessage("DynamoDB tables " + prefix + "deliveries, " + prefix + "inbox, "
                        + prefix + "outbox, " + prefix + "audit, " + prefix + "cost-reports, "
                        + prefix + "overrides, " + prefix + "locks, " + prefix + "deployments, "
                        + prefix + "schedule, " + prefix + "freezes, " + prefix + "policy-versions, "
                        + prefix + "review-board "
                        + "do not exist: create them or set TIDEGATE_DYNAMODB_CREATE_TABLES=true");
    }

    @Test
    void existingTablesAreAcceptedWhenCreationIsOff() {
        String prefix = DynamoDbLocal.freshPrefix();
        DynamoDbStore.open(DynamoDbLocal.get().client(), prefix, true).close();
        try (Store again = DynamoDbStore.open(DynamoDbLocal.get().client(), prefix, false)) {
            again.ping();
        }
    }

    @Test
    void createdTablesHaveTtlOnAndRecordsCarryIt() {
        String prefix = DynamoDbLocal.freshPrefix();
        try (DynamoDbClient client = DynamoDbLocal.get().client();
                Store s = DynamoDbStore.open(DynamoDbLocal.get().client(), prefix, true)) {
            assertThat(client.describeTimeToLive(b -> b.tableName(prefix + "deployments"))
                    .timeToLiveDescription().timeToLiveStatus())
                    .isIn(TimeToLiveStatus.ENABLED, TimeToLiveStatus.ENABLING);
            s.deployments().save(deployment("d1", "production", "acme/infra", T0));
            Map<String, AttributeValue> item = client.getItem(b -> b
                    .tableName(prefix + "deployments")
                    .key(Map.of("id", AttributeValue.fromS("d1")))).item();
            assertThat(item.get(Dynamo.TTL).n()).isEqualTo(Long.toString(
                    T0.plus(Duration.ofDays(90)).getEpochSecond()));
            assertThat(s.purgeExpired(T0.plus(Duration.ofDays(365)))).isZero();
        }
    }
}
