package io.tidegate.store;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;

/**
 * Policy versions in DynamoDB: {@code pk = sha256}, the files as gzipped JSON split into parts
 * ({@code sk = part} {@code 0000}, {@code 0001}, ...) of at most {@value #PART_BYTES} bytes, since
 * a policy file may be up to 1 MiB and an item at most 400 KB. Part {@code 0000} says how many
 * parts there are and is written last, conditionally: a version is readable only when whole,
 * and two replicas keeping the same version write the same bytes. No TTL: kept as long as the
 * audit that names it.
 */
final class DynamoDbPolicyVersions implements PolicyVersionStore {
    static final int PART_BYTES = 300_000;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, String>> FILES = new TypeReference<>() {};

    private final Dynamo d;
    private final String table;

    DynamoDbPolicyVersions(Dynamo d) {
        this.d = d;
        this.table = d.table(DynamoDbTables.POLICY_VERSIONS);
    }

    @Override
    public boolean keep(PolicyVersion v) {
        if (find(v.sha256()).isPresent()) {
            return false;
        }
        byte[] data = gzip(v.files());
        int parts = Math.max(1, (data.length + PART_BYTES - 1) / PART_BYTES);
        for (int i = parts - 1; i >= 0; i--) {
            int from = i * PART_BYTES;
            SdkBytes bytes = SdkBytes.fromByteArray(java.util.Arrays.copyOfRange(data, from,
                    Math.min(data.length, from + PART_BYTES)));
            Map<String, AttributeValue> item = new java.util.HashMap<>(Map.of(
                    "sha256", Dynamo.s(v.sha256()), "part", Dynamo.s(part(i)),
                    "data", AttributeValue.fromB(bytes)));
            if (i > 0) {
                d.call("keep policy version", () -> d.client.putItem(b -> b.tableName(table)
                        .item(item)));
                continue;
            }
            item.put("parts", Dynamo.n(parts));
            item.put("firstSeen", Dynamo.n(v.firstSeen()));
            String condition = "attribute_not_exists(#sha256)";
            return d.conditional("keep policy version", () -> d.client.putItem(b -> b
                    .tableName(table).item(item).conditionExpression(condition)
                    .expressionAttributeNames(Dynamo.names(condition))));
        }
        throw new AssertionError("part 0000 is always written");
    }

    @Override
    public Optional<PolicyVersion> find(String sha256) {
        String keyCondition = "#sha256 = :sha";
        QueryRequest q = QueryRequest.builder().tableName(table).consistentRead(true)
                .keyConditionExpression(keyCondition)
                .expressionAttributeNames(Dynamo.names(keyCondition))
                .expressionAttributeValues(Dynamo.values(":sha", Dynamo.s(sha256))).build();
        List<Map<String, AttributeValue>> items = d.queryAll("read policy version", q, i -> i,
                Integer.MAX_VALUE);
        if (items.isEmpty() || !items.get(0).containsKey("parts")) {
            return Optional.empty(); // not kept, or still being written
        }
        int parts = (int) Dynamo.num(items.get(0), "parts");
        if (items.size() < parts) {
            throw new StoreException("stored policy version " + sha256 + " lacks parts: "
                    + items.size() + " of " + parts);
        }
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        for (int i = 0; i < parts; i++) {
            data.writeBytes(items.get(i).get("data").b().asByteArray());
        }
        try {
            return Optional.of(new PolicyVersion(sha256, gunzip(data.toByteArray()),
                    Dynamo.time(items.get(0), "firstSeen")));
        } catch (IllegalArgumentException | UncheckedIOException e) {
            throw new StoreException("stored policy version " + sha256 + " is damaged: "
                    + e.getMessage(), e);
        }
    }

    private static String part(int i) {
        return String.format("%04d", i);
    }

    private static byte[] gzip(Map<String, String> files) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(out)) {
            JSON.writeValue(z, files);
        } catch (IOException e) {
            throw new UncheckedIOException("gzip into memory failed", e);
        }
        return out.toByteArray();
    }

    private static Map<String, String> gunzip(byte[] data) {
        try (GZIPInputStream z = new GZIPInputStream(new ByteArrayInputStream(data))) {
            return JSON.readValue(z, FILES);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
