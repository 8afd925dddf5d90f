package io.tidegate.store;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.Select;

/**
 * Small helpers over the DynamoDB client: attribute values, expression names (every attribute
 * goes through {@code #name}, so reserved words such as {@code state} never bite) and error
 * translation to {@link StoreException}.
 */
final class Dynamo {
    /** The TTL attribute on every table: epoch seconds after which DynamoDB may delete. */
    static final String TTL = "expiresAtEpochSeconds";
    private static final Pattern NAME = Pattern.compile("#([A-Za-z][A-Za-z0-9]*)");

    final DynamoDbClient client;
    final String prefix;

    Dynamo(DynamoDbClient client, String prefix) {
        this.client = client;
        this.prefix = prefix;
    }

    String table(String name) {
        return prefix + name;
    }

    static AttributeValue s(String v) {
        return AttributeValue.fromS(v);
    }

    static AttributeValue n(long v) {
        return AttributeValue.fromN(Long.toString(v));
    }

    static AttributeValue n(Instant t) {
        return n(t.toEpochMilli());
    }

    static AttributeValue ttl(Instant t) {
        return n(t.getEpochSecond());
    }

    static String str(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v == null ? null : v.s();
    }

    static long num(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v == null ? 0 : Long.parseLong(v.n());
    }

    static Instant time(Map<String, AttributeValue> item, String name) {
        return Instant.ofEpochMilli(num(item, name));
    }

    static Optional<Instant> optionalTime(Map<String, AttributeValue> item, String name) {
        return item.containsKey(name) ? Optional.of(time(item, name)) : Optional.empty();
    }

    /** {@code #x → x} for every {@code #x} used in the expressions. */
    static Map<String, String> names(String... expressions) {
        Map<String, String> out = new HashMap<>();
        for (String e : expressions) {
            if (e == null) {
                continue;
            }
            Matcher m = NAME.matcher(e);
            while (m.find()) {
                out.put("#" + m.group(1), m.group(1));
            }
        }
        return out;
    }

    /** Builds a value map from alternating {@code ":name", AttributeValue} pairs. */
    static Map<String, AttributeValue> values(Object... pairs) {
        Map<String, AttributeValue> out = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            out.put((String) pairs[i], (AttributeValue) pairs[i + 1]);
        }
        return out;
    }

    /** Runs a call; translates SDK failures to {@link StoreException}. */
    <T> T call(String what, java.util.function.Supplier<T> call) {
        try {
            return call.get();
        } catch (ConditionalCheckFailedException e) {
            throw e;
        } catch (SdkException e) {
            throw new StoreException("DynamoDB: " + what + " failed: " + e.getMessage(), e);
        }
    }

    /** A conditional write: {@code true} if it happened, {@code false} if the condition failed. */
    boolean conditional(String what, Runnable write) {
        try {
            call(what, () -> {
                write.run();
                return null;
            });
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    /** How many items a query matches, following pages; {@code Select.COUNT} returns no items. */
    long count(String what, QueryRequest request) {
        long total = 0;
        QueryRequest next = request.toBuilder().select(Select.COUNT).build();
        while (true) {
            QueryRequest r = next;
            QueryResponse page = call(what, () -> client.query(r));
            total += page.count();
            if (!page.hasLastEvaluatedKey() || page.lastEvaluatedKey().isEmpty()) {
                return total;
            }
            next = r.toBuilder().exclusiveStartKey(page.lastEvaluatedKey()).build();
        }
    }

    /** Every item of a query, following pages until {@code enough} says stop. */
    <T> List<T> queryAll(String what, QueryRequest request,
            Function<Map<String, AttributeValue>, T> map, int enough) {
        List<T> out = new ArrayList<>();
        QueryRequest next = request;
        while (true) {
            QueryRequest r = next;
            QueryResponse page = call(what, () -> client.query(r));
            for (Map<String, AttributeValue> item : page.items()) {
                out.add(map.apply(item));
                if (out.size() >= enough) {
                    return out;
                }
            }
            if (!page.hasLastEvaluatedKey() || page.lastEvaluatedKey().isEmpty()) {
                return out;
            }
            next = r.toBuilder().exclusiveStartKey(page.lastEvaluatedKey()).build();
        }
    }
}
