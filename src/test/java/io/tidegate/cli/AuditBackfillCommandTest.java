package io.tidegate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;

import io.tidegate.store.AuditQuery;
import io.tidegate.store.DynamoDbLocal;
import io.tidegate.store.DynamoDbStore;
import io.tidegate.store.Store;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** {@code tidegate audit backfill} against DynamoDB Local, configured as the server is. */
class AuditBackfillCommandTest {
    @TempDir
    Path dir;

    record Run(int exit, String out, String err) {}

    /** DynamoDB Local takes any credentials; the command finds them as the server does. */
    @BeforeAll
    static void credentials() {
        System.setProperty("aws.accessKeyId", "local");
        System.setProperty("aws.secretAccessKey", "local");
    }

    @AfterAll
    static void noCredentials() {
        System.clearProperty("aws.accessKeyId");
        System.clearProperty("aws.secretAccessKey");
    }

    static Run backfill(Map<String, String> env, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new AuditCommand.Backfill(env));
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return new Run(cli.execute(args), out.toString(), err.toString());
    }

    @Test
    void aRowWrittenBeforeTheIndexIsPutIntoItAndASecondRunFindsNothingToDo() {
        String prefix = DynamoDbLocal.freshPrefix();
        Map<String, String> env = Map.of("TIDEGATE_STORE", "dynamodb", "AWS_REGION", "us-east-1",
                "TIDEGATE_DYNAMODB_ENDPOINT", DynamoDbLocal.get().endpoint.toString(),
                "TIDEGATE_DYNAMODB_TABLE_PREFIX", prefix);
        try (Store store = DynamoDbStore.open(DynamoDbLocal.get().client(), prefix, true)) {
            // as the audit wrote items before the byTime index: no "stream"
            DynamoDbLocal.get().client().putItem(b -> b.tableName(prefix + "audit").item(Map.of(
                    "repo", s("acme/infra"), "sk", s("001790000000000#"
                            + "00000000-0000-0000-0000-000000000001"),
                    "time", AttributeValue.fromN("1790000000000"), "pr", AttributeValue.fromN("7"),
                    "headSha", s("abc"), "project", s("network"), "environment", s("production"),
                    "command", s("apply"), "actor", s("alice"), "decision", s("allow"))
                    .entrySet().stream().collect(java.util.stream.Collectors.toMap(
                            Map.Entry::getKey, Map.Entry::getValue, (x, y) -> x,
                            () -> new java.util.HashMap<>(Map.of("reasonCodes", s("[]"),
                                    "policyHash", s("sha256:1"), "factsJson", s("{}")))))));
            assertThat(store.auditLog().forEach(AuditQuery.all(), e -> {})).isZero();

            Run first = backfill(env);
            Run again = backfill(env);

            assertThat(first.exit()).as(first.err()).isZero();
            assertThat(first.out()).isEqualTo("done: scanned 1 audit rows, put 1 into the "
                    + "organisation-wide index\n");
            assertThat(store.auditLog().forEach(AuditQuery.all(), e -> {})).isEqualTo(1);
            assertThat(again.out()).isEqualTo("done: scanned 1 audit rows, put 0 into the "
                    + "organisation-wide index\n");
        }
    }

    @Test
    void sqliteHasNothingToBackfillAndABadPositionExitsTwo() {
        Run sqlite = backfill(Map.of("TIDEGATE_DATA_DIR", dir.toString()));
        assertThat(sqlite.exit()).isZero();
        assertThat(sqlite.out()).isEqualTo("nothing to backfill: SQLite reads the whole audit by "
                + "its time index\n");

        String prefix = DynamoDbLocal.freshPrefix();
        try (Store store = DynamoDbStore.open(DynamoDbLocal.get().client(), prefix, true)) {
            Run bad = backfill(Map.of("TIDEGATE_STORE", "dynamodb", "AWS_REGION", "us-east-1",
                    "TIDEGATE_DYNAMODB_ENDPOINT", DynamoDbLocal.get().endpoint.toString(),
                    "TIDEGATE_DYNAMODB_TABLE_PREFIX", prefix), "--resume", "acme/infra");
            assertThat(bad.exit()).isEqualTo(2);
            assertThat(bad.err()).isEqualTo("error: --resume: resume position is malformed\n");
        }
    }

    private static AttributeValue s(String v) {
        return AttributeValue.fromS(v);
    }
}
