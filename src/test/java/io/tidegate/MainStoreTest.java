package io.tidegate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tidegate.store.DynamoDbLocal;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import io.tidegate.wiring.Config;
import io.tidegate.wiring.ConfigException;
import io.tidegate.wiring.Server;
import io.tidegate.wiring.StoreUnavailableException;

/** Main opens the store TIDEGATE_STORE names, reports it ready, and refuses missing tables. */
@Tag("slow")
class MainStoreTest {
    @TempDir
    Path dir;

    @BeforeAll
    static void dummyAwsCredentials() {
        // the SDK's default chain reads these; DynamoDB Local accepts any credentials
        System.setProperty("aws.accessKeyId", "local");
        System.setProperty("aws.secretAccessKey", "local");
    }

    @AfterAll
    static void clearAwsCredentials() {
        System.clearProperty("aws.accessKeyId");
        System.clearProperty("aws.secretAccessKey");
    }

    Config config(String store, String prefix, boolean create) throws ConfigException {
        Map<String, String> env = new HashMap<>(Map.of("TIDEGATE_PORT", "0",
                "TIDEGATE_BIND_ADDRESS", "127.0.0.1", "TIDEGATE_DATA_DIR", dir.toString(),
                "TIDEGATE_STORE", store, "AWS_REGION", "us-east-1",
                "TIDEGATE_DYNAMODB_ENDPOINT", DynamoDbLocal.get().endpoint.toString(),
                "TIDEGATE_DYNAMODB_TABLE_PREFIX", prefix,
                "TIDEGATE_DYNAMODB_CREATE_TABLES", Boolean.toString(create)));
        return Config.from(env);
    }

    JsonNode readiness(Server.Running running) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + running.port() + "/readyz")).build(),
                HttpResponse.BodyHandlers.ofString());
        return new ObjectMapper().readTree(r.body());
    }

    @Test
    void dynamoDbStoreWithTableCreationIsOpenedAndReportedReady() throws Exception {
        String prefix = DynamoDbLocal.freshPrefix();
        try (Server.Running running = Server.start(config("dynamodb", prefix, true))) {
            JsonNode store = readiness(running).at("/checks/store");
            assertThat(store.get("ready").asBoolean()).isTrue();
            assertThat(store.get("detail").asText())
                    .isEqualTo("dynamodb tables " + prefix + "* takes writes");
        }
    }

    @Test
    void missingDynamoDbTablesStopTheStartWithTheirNames() {
        String prefix = DynamoDbLocal.freshPrefix();
        assertThatThrownBy(() -> Server.start(config("dynamodb", prefix, false)))
                .isInstanceOf(StoreUnavailableException.class)
                .hasMessageStartingWith("TIDEGATE_STORE=dynamodb (AWS_REGION=us-east-1, "
                        + "TIDEGATE_DYNAMODB_ENDPOINT=" + DynamoDbLocal.get().endpoint
                        + ", TIDEGATE_DYNAMODB_TABLE_PREFIX=" + prefix + ") cannot be used: "
                        + "DynamoDB tables " + prefix + "deliveries, ")
                .hasMessageEndingWith("do not exist: create them or set "
                        + "TIDEGATE_DYNAMODB_CREATE_TABLES=true");
    }

    @Test
    void anUnreachableDynamoDbEndpointExits2WithOneLineNamingTheSettings() throws Exception {
        int closed;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1,
                java.net.InetAddress.getByName("127.0.0.1"))) {
            closed = s.getLocalPort(); // nothing listens there once it is closed
        }
        String endpoint = "http://127.0.0.1:" + closed;
        try (TidegateProcess p = TidegateProcess.start(dir, Map.of("TIDEGATE_PORT", "0",
                "TIDEGATE_BIND_ADDRESS", "127.0.0.1", "TIDEGATE_STORE", "dynamodb",
                "AWS_REGION", "eu-west-1", "AWS_ACCESS_KEY_ID", "local",
                "AWS_SECRET_ACCESS_KEY", "local-secret-key",
                "TIDEGATE_DYNAMODB_ENDPOINT", endpoint), "serve")) {
            assertThat(p.awaitExit(Poll.START_UP)).as(p.output()).isEqualTo(2);
            assertThat(p.output().lines().filter(l -> l.startsWith("tidegate: ")))
                    .singleElement().asString()
                    .startsWith("tidegate: TIDEGATE_STORE=dynamodb (AWS_REGION=eu-west-1, "
                            + "TIDEGATE_DYNAMODB_ENDPOINT=" + endpoint
                            + ", TIDEGATE_DYNAMODB_TABLE_PREFIX=tidegate-) cannot be used: ")
                    .contains("Connection refused");
            assertThat(p.output()).doesNotContain("\tat ", "Exception", "local-secret-key");
        }
    }

    @Test
    void sqliteIsTheDefaultStoreWithItsFileInTheDataDir() throws Exception {
        Map<String, String> env = Map.of("TIDEGATE_PORT", "0",
                "TIDEGATE_BIND_ADDRESS", "127.0.0.1", "TIDEGATE_DATA_DIR", dir.toString());
        try (Server.Running running = Server.start(Config.from(env))) {
            assertThat(readiness(running).at("/checks/store/detail").asText())
                    .isEqualTo("sqlite " + dir.resolve("tidegate.db").toAbsolutePath()
                            + " takes writes");
        }
    }
}
