package io.tidegate.atlantis;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Reads fields of one JSON object and collects every problem, so a caller learns about all bad
 * fields at once. Values are quoted in problems only when short and only for the field being
 * read. Not thread-safe: one instance per request.
 */
final class AtlantisJsonFields {
    static final Pattern SHA = Pattern.compile("[0-9a-f]{40}|[0-9a-f]{64}");
    static final Pattern REPO_PART = Pattern.compile("[A-Za-z0-9_.-]{1,100}");
    private static final Pattern CONTROL = Pattern.compile("[\\x00-\\x1f\\x7f]");
    /** Every run-step value and apply-result field Tidegate reads is a name, path or SHA. */
    static final int MAX_TEXT = 1024;

    private final List<String> problems;
    private final String prefix;
    private final JsonNode object;

    AtlantisJsonFields(JsonNode object, String prefix, List<String> problems) {
        this.object = object;
        this.prefix = prefix;
        this.problems = problems;
    }

    static AtlantisJsonFields root(JsonNode object) {
        return new AtlantisJsonFields(object, "", new ArrayList<>());
    }

    List<String> problems() {
        return problems;
    }

    /** A nested object; when absent or not an object, a problem and an empty reader. */
    AtlantisJsonFields object(String field) {
        JsonNode n = object.get(field);
        if (n == null || n.isNull()) {
            problems.add(name(field) + ": required");
        } else if (!n.isObject()) {
            problems.add(name(field) + ": expected an object, found " + kind(n));
            n = null;
        }
        return new AtlantisJsonFields(n, name(field) + ".", problems);
    }

    /** A required string that may not be empty. */
    String required(String field) {
        String v = text(field, true);
        if (v != null && v.isEmpty()) {
            problems.add(name(field) + ": must not be empty");
        }
        return v == null ? "" : v;
    }

    /** A required string that may be empty (Atlantis sends "" for some). */
    String present(String field) {
        String v = text(field, true);
        return v == null ? "" : v;
    }

    /** A string that may be absent; absent reads as "". */
    String optional(String field) {
        return optional(field, MAX_TEXT);
    }

    /** A string that may be absent and may be up to {@code maxChars} long. */
    String optional(String field, int maxChars) {
        String v = text(field, false, maxChars, false);
        return v == null ? "" : v;
    }

    /**
     * Free text that may be absent, control characters included: words a user typed, which
     * are only ever shown cleaned ({@code COMMENT_ARGS}: Atlantis passes every byte of a
     * quoted argument, a tab too).
     */
    String optionalFreeText(String field, int maxChars) {
        String v = text(field, false, maxChars, true);
        return v == null ? "" : v;
    }

    String matching(String field, Pattern pattern, String expected) {
        String v = text(field, true);
        if (v != null && !pattern.matcher(v).matches()) {
            problems.add(name(field) + ": expected " + expected + ", found " + quote(v));
        }
        return v == null ? "" : v;
    }

    /** A positive integer, as a JSON number or a string of digits (run-step variables). */
    int positiveInt(String field) {
        return integer(field, false);
    }

    /**
     * A non-zero integer, negative allowed: {@code PULL_NUM} of a run started through Atlantis's
     * API, which is {@code -((UnixNano & 0x3fffffff) + n)} when no pull request was named
     * ({@code nextNonPRPullNum}, server/controllers/api_controller.go, Atlantis
     * v0.47.0-7-g078d0a820).
     */
    int nonZeroInt(String field) {
        return integer(field, true);
    }

    private int integer(String field, boolean negative) {
        JsonNode n = node(field);
        if (n == null) {
            problems.add(name(field) + ": required");
            return 0;
        }
        String digits = n.isIntegralNumber() ? n.asText() : n.isTextual() ? n.textValue() : null;
        long v = digits != null && digits.matches(negative ? "-?[0-9]{1,10}" : "[0-9]{1,10}")
                ? Long.parseLong(digits) : 0;
        if (v == 0 || Math.abs(v) > Integer.MAX_VALUE) {
            problems.add(name(field) + ": expected a " + (negative ? "non-zero" : "positive")
                    + " integer, found " + describe(n));
            return 0;
        }
        return (int) v;
    }

    boolean bool(String field) {
        JsonNode n = node(field);
        if (n == null || !n.isBoolean()) {
            problems.add(name(field) + (n == null ? ": required"
                    : ": expected true or false, found " + describe(n)));
            return false;
        }
        return n.booleanValue();
    }

    private String text(String field, boolean required) {
        return text(field, required, MAX_TEXT, false);
    }

    private String text(String field, boolean required, int maxChars, boolean controls) {
        JsonNode n = node(field);
        if (n == null) {
            if (required) {
                problems.add(name(field) + ": required");
            }
            return null;
        }
        if (!n.isTextual()) {
            problems.add(name(field) + ": expected a string, found " + describe(n));
            return null;
        }
        String v = n.textValue();
        if (v.length() > maxChars) {
            problems.add(name(field) + ": longer than " + maxChars + " characters");
            return null;
        }
        if (!controls && CONTROL.matcher(v).find()) {
            problems.add(name(field) + ": must not contain control characters");
            return null;
        }
        return v;
    }

    private JsonNode node(String field) {
        if (object == null) {
            return null;
        }
        JsonNode n = object.get(field);
        return n == null || n.isNull() ? null : n;
    }

    String name(String field) {
        return prefix + field;
    }

    private static String describe(JsonNode n) {
        return n.isTextual() ? quote(n.textValue()) : kind(n);
    }

    private static String kind(JsonNode n) {
        if (n.isObject()) {
            return "an object";
        }
        if (n.isArray()) {
            return "an array";
        }
        return n.isTextual() ? "a string" : n.toString();
    }

    static String quote(String v) {
        String s = v.length() > 60 ? v.substring(0, 60) + "..." : v;
        return "\"" + CONTROL.matcher(s).replaceAll("?") + "\"";
    }
}
