package io.tidegate.github;

import java.io.IOException;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The fields of a webhook payload Tidegate reads, as dotted paths, and a streaming reader that
 * builds a JSON tree of only those. A {@code pull_request} delivery is about 27 KB of which the
 * parser reads some thirty fields; a tree of the whole payload was a third of the intake's CPU
 * (JFR over {@code bench/run}). Skipped values are still tokenized, so damage anywhere in the
 * body is still rejected; a path into an array applies to each of its elements
 * ({@code pull_request.labels.name}).
 *
 * <p>Reading a field that is not kept is a programming error, not a missing field: {@link #child}
 * throws {@link IllegalStateException}, so a new field read without being added here fails
 * the first test that reaches it instead of looking absent.
 */
final class KeptFields {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** name → what is kept of that field's value; a leaf (no children) keeps the whole value. */
    private final Map<String, KeptFields> children;

    private KeptFields(Map<String, KeptFields> children) {
        this.children = children;
    }

    static KeptFields of(String... paths) {
        Map<String, Object> tree = new LinkedHashMap<>();
        for (String path : paths) {
            add(tree, Arrays.asList(path.split("\\.")), 0);
        }
        return build(tree);
    }

    @SuppressWarnings("unchecked")
    private static void add(Map<String, Object> tree, java.util.List<String> parts, int i) {
        Map<String, Object> next = (Map<String, Object>) tree.computeIfAbsent(parts.get(i),
                k -> new LinkedHashMap<String, Object>());
        if (i + 1 < parts.size()) {
            add(next, parts, i + 1);
        }
    }

    @SuppressWarnings("unchecked")
    private static KeptFields build(Map<String, Object> tree) {
        Map<String, KeptFields> children = new LinkedHashMap<>();
        tree.forEach((name, sub) -> children.put(name, build((Map<String, Object>) sub)));
        return new KeptFields(Collections.unmodifiableMap(children));
    }

    boolean keepsWholeValue() {
        return children.isEmpty();
    }

    Set<String> names() {
        return children.keySet();
    }

    /** What is kept of field {@code name}; {@code path} only names it in the error. */
    KeptFields child(String name, String path) {
        if (keepsWholeValue()) {
            return this;
        }
        KeptFields child = children.get(name);
        if (child == null) {
            throw new IllegalStateException("webhook field '" + path + "' is read but not kept:"
                    + " add it to WebhookParser.KEPT");
        }
        return child;
    }

    /**
     * Reads the value at the parser's current token. A field kept twice in one object is an
     * error (the payload would be ambiguous); duplicates among skipped fields do not matter.
     */
    JsonNode read(JsonParser p, ObjectMapper mapper) throws IOException {
        if (keepsWholeValue()) {
            return mapper.readTree(p);
        }
        JsonToken token = p.currentToken();
        if (token == JsonToken.START_OBJECT) {
            return readObject(p, mapper);
        }
        if (token == JsonToken.START_ARRAY) {
            ArrayNode array = NODES.arrayNode();
            while (p.nextToken() != JsonToken.END_ARRAY) {
                array.add(read(p, mapper));
            }
            return array;
        }
        // A scalar where an object was expected: kept as is, so the parser names its type.
        return mapper.readTree(p);
    }

    private ObjectNode readObject(JsonParser p, ObjectMapper mapper) throws IOException {
        ObjectNode object = NODES.objectNode();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonLocation at = p.currentTokenLocation();
            p.nextToken();
            KeptFields kept = children.get(name);
            if (kept == null) {
                p.skipChildren();
            } else if (object.has(name)) {
                throw new DuplicateFieldException(name, at);
            } else {
                object.set(name, kept.read(p, mapper));
            }
        }
        return object;
    }

    /** A kept field given twice in one object. */
    static final class DuplicateFieldException extends IOException {
        private static final long serialVersionUID = 1L;
        private final transient JsonLocation at;

        DuplicateFieldException(String name, JsonLocation at) {
            super("Duplicate field '" + name + "'");
            this.at = at;
        }

        JsonLocation at() {
            return at;
        }
    }
}
