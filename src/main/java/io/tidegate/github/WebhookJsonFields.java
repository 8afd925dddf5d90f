package io.tidegate.github;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A JSON object plus the path that reached it, so every missing or ill-typed field is reported by
 * its full JSON path ({@code pull_request.labels[2].name}). Absent and {@code null} are the same
 * to GitHub's payloads, so "optional" accepts both; a wrong type is always an error.
 */
final class WebhookJsonFields {
    private final JsonNode node;
    private final KeptFields kept;
    // [perf] where this object is, as the steps that reached it: the path is built only for a
    // message (built for every field read, they were about 1.4 KB of each intake's garbage)
    private final WebhookJsonFields parent; // null at the root
    private final String field; // the field of parent that holds this object, or its array
    private final int index; // the position in that array, or -1

    private WebhookJsonFields(JsonNode node, KeptFields kept, WebhookJsonFields parent,
            String field, int index) {
        this.node = node;
        this.kept = kept;
        this.parent = parent;
        this.field = field;
        this.index = index;
    }

    /** The root object of a tree read with {@code kept}. */
    static WebhookJsonFields root(JsonNode node, KeptFields kept) throws MalformedWebhookException {
        if (node == null || !node.isObject()) {
            throw new MalformedWebhookException("$", "expected a JSON object");
        }
        return new WebhookJsonFields(node, kept, null, null, -1);
    }

    /** The JSON path of field {@code name} of this object, for a message. */
    String path(String name) {
        String path = path();
        return path.isEmpty() ? name : path + "." + name;
    }

    private String path() {
        if (parent == null) {
            return "";
        }
        String path = parent.path(field);
        return index < 0 ? path : path + "[" + index + "]";
    }

    /** The nested object {@code name}; missing is an error. */
    WebhookJsonFields object(String name) throws MalformedWebhookException {
        return optionalObject(name).orElseThrow(() -> missing(name, "an object"));
    }

    Optional<WebhookJsonFields> optionalObject(String name) throws MalformedWebhookException {
        JsonNode v = get(name);
        if (isAbsent(v)) {
            return Optional.empty();
        }
        if (!v.isObject()) {
            throw wrongType(name, "an object", v);
        }
        return Optional.of(new WebhookJsonFields(v, keptChild(name), this, name, -1));
    }

    /** A non-blank string; missing, blank or another type is an error. */
    String text(String name) throws MalformedWebhookException {
        String v = optionalText(name).orElseThrow(() -> missing(name, "a string"));
        if (v.isBlank()) {
            throw new MalformedWebhookException(path(name), "must not be blank");
        }
        return v;
    }

    /** A string, possibly empty; absent or null is empty. */
    Optional<String> optionalText(String name) throws MalformedWebhookException {
        JsonNode v = get(name);
        if (isAbsent(v)) {
            return Optional.empty();
        }
        if (!v.isTextual()) {
            throw wrongType(name, "a string", v);
        }
        return Optional.of(v.textValue());
    }

    /** A whole number from 1 to {@link Long#MAX_VALUE}. */
    long id(String name) throws MalformedWebhookException {
        return optionalId(name).orElseThrow(() -> missing(name, "a positive whole number"));
    }

    Optional<Long> optionalId(String name) throws MalformedWebhookException {
        JsonNode v = get(name);
        if (isAbsent(v)) {
            return Optional.empty();
        }
        if (!v.isIntegralNumber() || !v.canConvertToLong() || v.longValue() < 1) {
            throw wrongType(name, "a positive whole number", v);
        }
        return Optional.of(v.longValue());
    }

    /** A pull request or issue number: a whole number from 1 to {@link Integer#MAX_VALUE}. */
    int number(String name) throws MalformedWebhookException {
        JsonNode v = get(name);
        if (isAbsent(v)) {
            throw missing(name, "a positive whole number");
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt() || v.intValue() < 1) {
            throw wrongType(name, "a positive whole number", v);
        }
        return v.intValue();
    }

    /** A boolean; absent or null is {@code fallback} (older payloads lack newer flags). */
    boolean bool(String name, boolean fallback) throws MalformedWebhookException {
        JsonNode v = get(name);
        if (isAbsent(v)) {
            return fallback;
        }
        if (!v.isBoolean()) {
            throw wrongType(name, "true or false", v);
        }
        return v.booleanValue();
    }

    /** The objects of array {@code name}; absent or null is empty. */
    List<WebhookJsonFields> objects(String name) throws MalformedWebhookException {
        JsonNode v = get(name);
        if (isAbsent(v)) {
            return List.of();
        }
        if (!v.isArray()) {
            throw wrongType(name, "an array", v);
        }
        List<WebhookJsonFields> out = new ArrayList<>(v.size());
        KeptFields itemKept = keptChild(name);
        for (int i = 0; i < v.size(); i++) {
            JsonNode item = v.get(i);
            if (item == null || !item.isObject()) {
                throw new MalformedWebhookException(path(name) + "[" + i + "]",
                        "expected an object, found " + typeOf(item));
            }
            out.add(new WebhookJsonFields(item, itemKept, this, name, i));
        }
        return out;
    }

    boolean has(String name) {
        return !isAbsent(get(name));
    }

    /** The field's value; asking for a field the reader did not keep throws (see KeptFields). */
    private JsonNode get(String name) {
        keptChild(name);
        return node.get(name);
    }

    /** What the reader kept of field {@code name}; a field it skipped is a programming error. */
    private KeptFields keptChild(String name) {
        KeptFields child = kept.childOrNull(name);
        if (child == null) {
            throw new IllegalStateException("webhook field '" + path(name) + "' is read but not"
                    + " kept: add it to WebhookParser.KEPT");
        }
        return child;
    }

    private static boolean isAbsent(JsonNode v) {
        return v == null || v.isNull() || v.isMissingNode();
    }

    private MalformedWebhookException missing(String name, String expected) {
        return new MalformedWebhookException(path(name), "missing (expected " + expected + ")");
    }

    private MalformedWebhookException wrongType(String name, String expected, JsonNode found) {
        return new MalformedWebhookException(path(name),
                "expected " + expected + ", found " + typeOf(found));
    }

    private static String typeOf(JsonNode v) {
        if (v == null || v.isNull()) {
            return "null";
        }
        if (v.isNumber()) {
            return "the number " + abbreviate(v.asText());
        }
        if (v.isTextual()) {
            return "a string";
        }
        return Objects.toString(v.getNodeType()).toLowerCase(Locale.ROOT);
    }

    private static String abbreviate(String s) {
        return s.length() <= 24 ? s : s.substring(0, 24) + "…";
    }
}
