package io.tidegate.github;

import java.io.IOException;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tidegate.text.JsonProblem;

/**
 * Reads a JSON document (RFC 8259, UTF-8) into a Jackson tree that holds only the fields a
 * {@link KeptFields} names, with Jackson's streaming {@link JsonParser}: kept values become the
 * nodes {@code readTree} builds for the same bytes (int, long or big-integer nodes, doubles,
 * text), skipped values are passed over with {@link JsonParser#skipChildren()}, still tokenized,
 * so the whole document must be valid JSON. {@code KeptJsonReaderTest} checks both against a
 * full Jackson tree on every fixture and on thousands of damaged copies.
 *
 * <p>Limits, Jackson's defaults made explicit: nesting 1,000 deep, numbers 1,000 characters
 * long. A kept field given twice in one object is an error (the payload would be ambiguous);
 * duplicates among skipped fields do not matter, as before (Jackson's own duplicate detection
 * would also see skipped objects, so it stays off). Data after the value is an error.
 */
final class KeptJsonReader {
    static final int MAX_DEPTH = 1_000;
    static final int MAX_NUMBER_LENGTH = 1_000;
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final JsonFactory JSON = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(MAX_DEPTH).maxNumberLength(MAX_NUMBER_LENGTH).build())
            .build();

    /** Bytes that are not JSON: the message says what, {@link #where()} where. */
    static final class SyntaxException extends Exception {
        private static final long serialVersionUID = 1L;
        private final String where;

        SyntaxException(String what, JsonLocation at) {
            super(what);
            this.where = at == null ? "" : "(line " + at.getLineNr() + ", column "
                    + at.getColumnNr() + ")";
        }

        /** {@code (line L, column C)}, both counted from 1. */
        String where() {
            return where;
        }
    }

    private KeptJsonReader() {}

    /** The kept tree, or null when the input holds only whitespace. */
    static JsonNode read(byte[] in, KeptFields kept) throws SyntaxException {
        JsonParser p = null;
        try {
            p = JSON.createParser(in);
            JsonToken first = p.nextToken();
            if (first == null) {
                return null;
            }
            JsonNode root = value(p, first, kept);
            if (p.nextToken() != null) {
                throw new SyntaxException("unexpected data after the JSON value",
                        p.currentTokenLocation());
            }
            return root;
        } catch (JsonProcessingException e) {
            // A limit (StreamConstraintsException) has no location of its own: the parser's.
            throw new SyntaxException(JsonProblem.describe(e), e.getLocation() != null
                    ? e.getLocation() : p == null ? null : p.currentLocation());
        } catch (IOException e) {
            // Reading a byte array does no I/O: only a parse error can get here.
            throw new SyntaxException(e.getMessage(), null);
        } finally {
            close(p);
        }
    }

    private static void close(JsonParser p) {
        if (p != null) {
            try {
                p.close();
            } catch (IOException e) {
                // a byte-array parser holds nothing to release
            }
        }
    }

    private static JsonNode value(JsonParser p, JsonToken t, KeptFields kept) throws IOException,
            SyntaxException {
        return switch (t) {
            case START_OBJECT -> object(p, kept);
            case START_ARRAY -> array(p, kept);
            case VALUE_STRING -> NODES.textNode(p.getText());
            case VALUE_TRUE -> NODES.booleanNode(true);
            case VALUE_FALSE -> NODES.booleanNode(false);
            case VALUE_NULL -> NODES.nullNode();
            case VALUE_NUMBER_INT -> integer(p);
            case VALUE_NUMBER_FLOAT -> NODES.numberNode(p.getDoubleValue());
            default -> throw new SyntaxException("unexpected " + t, p.currentTokenLocation());
        };
    }

    /** The node readTree builds: int when it fits, then long, then big integer. */
    private static JsonNode integer(JsonParser p) throws IOException {
        return switch (p.getNumberType()) {
            case INT -> NODES.numberNode(p.getIntValue());
            case LONG -> NODES.numberNode(p.getLongValue());
            default -> NODES.numberNode(p.getBigIntegerValue());
        };
    }

    private static ObjectNode object(JsonParser p, KeptFields kept) throws IOException,
            SyntaxException {
        ObjectNode object = NODES.objectNode();
        for (String name = p.nextFieldName(); name != null; name = p.nextFieldName()) {
            KeptFields child = kept.childOrNull(name);
            // [perf] where the name is, only for a kept name seen before: taken for every name,
            // the location objects were 2.7 of the 9.6 KB a parse allocated (issue 19)
            JsonLocation duplicateAt = child != null && object.has(name)
                    ? p.currentTokenLocation() : null;
            JsonToken t = p.nextToken();
            if (child == null) {
                p.skipChildren(); // a scalar needs nothing more; a container is passed over
                continue;
            }
            if (duplicateAt != null) {
                throw new SyntaxException("duplicate field '" + name + "'", duplicateAt);
            }
            object.set(name, value(p, t, child));
        }
        return object;
    }

    private static ArrayNode array(JsonParser p, KeptFields kept) throws IOException,
            SyntaxException {
        ArrayNode array = NODES.arrayNode();
        for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
            array.add(value(p, t, kept));
        }
        return array;
    }
}
