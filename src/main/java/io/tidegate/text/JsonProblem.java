package io.tidegate.text;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;

/**
 * What is wrong with a JSON document, in words for whoever sent it: Jackson's description
 * without Jackson's internals. Jackson names a limit by the getter that holds it ("(1000, from
 * `StreamReadConstraints.getMaxNestingDepth()`)"), a position by its source ("[Source: REDACTED
 * (`StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION` disabled); line: 1, column: 7]"), and a
 * token by its enum constant ({@code VALUE_STRING}); a client needs none of them, and a
 * {@link StreamConstraintsException} has no location at all. Pure and thread-safe.
 *
 * <p>Example: a body nested 2,000 deep is {@code "nested deeper than 1000 levels"}; {@code
 * {"a":1} } cut short is {@code "Unexpected end-of-input: expected close marker for Object
 * (start marker at line 1, column 1)"}.
 */
public final class JsonProblem {
    /** Jackson 2.15+: "(1000, from `StreamReadConstraints.getMaxNestingDepth()`)". */
    private static final Pattern LIMIT = Pattern.compile(
            "\\((\\d+), from `StreamReadConstraints\\.getMax(\\w+)\\(\\)`\\)");
    private static final Pattern SOURCE = Pattern.compile(
            "\\[Source: [^\\]]*?line: (\\d+), column: (\\d+)\\]");
    /** A parenthesised aside naming a Jackson feature or class: "(`JsonReadFeature.X` ...)". */
    private static final Pattern ASIDE = Pattern.compile(
            "\\s*\\((?:[^()]|\\([^()]*\\))*?(?:`|Feature)(?:[^()]|\\([^()]*\\))*\\)");
    /** "...: enable `JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS` to allow" */
    private static final Pattern ENABLE = Pattern.compile(":?\\s*enable\\s+`[^`]*`[^.;]*");
    private static final Pattern QUOTED_NAME = Pattern.compile("`[^`]*`");
    /** Jackson's duplicate detection: "Duplicate field 'by'". */
    private static final Pattern DUPLICATE =
            Pattern.compile("^Duplicate field '([A-Za-z0-9_]{1,64})'");

    private JsonProblem() {}

    /** The limit a document broke, or Jackson's words on its syntax made plain. */
    public static String describe(JsonProcessingException e) {
        return limitExceeded(e).orElseGet(() -> plain(e.getOriginalMessage()));
    }

    /**
     * The limit in plain words ("nested deeper than 1000 levels", "a number longer than 1000
     * digits"), or empty when {@code e} is not about a limit.
     */
    public static Optional<String> limitExceeded(JsonProcessingException e) {
        if (!(e instanceof StreamConstraintsException)) {
            return Optional.empty();
        }
        String message = String.valueOf(e.getOriginalMessage());
        Matcher m = LIMIT.matcher(message);
        if (!m.find()) {
            return Optional.of("larger than this server accepts");
        }
        return Optional.of(limit(m.group(2), m.group(1)));
    }

    /**
     * "the field "by" is given twice at line L, column C" when {@code e} is a parser's
     * duplicate detection ({@code STRICT_DUPLICATE_DETECTION}); the name only when it is a plain
     * one, since it is the sender's text.
     */
    public static Optional<String> duplicateField(JsonProcessingException e) {
        Matcher m = DUPLICATE.matcher(String.valueOf(e.getOriginalMessage()));
        return m.find() ? Optional.of("the field \"" + m.group(1) + "\" is given twice"
                + where(e.getLocation())) : Optional.empty();
    }

    /** {@code " at line L, column C"}, or "" when Jackson knows no position (a limit). */
    public static String where(JsonLocation at) {
        return at == null || at.getLineNr() < 1 ? ""
                : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
    }

    private static String limit(String which, String max) {
        return switch (which) {
            case "NestingDepth" -> "nested deeper than " + max + " levels";
            case "NumberLength" -> "a number longer than " + max + " digits";
            case "StringLength" -> "a string longer than " + max + " characters";
            case "NameLength" -> "a field name longer than " + max + " characters";
            case "DocumentLength" -> "a document longer than " + max + " bytes";
            case "TokenCount" -> "more than " + max + " tokens";
            default -> "larger than this server accepts (a limit of " + max + ")";
        };
    }

    private static String plain(String message) {
        if (message == null || message.isBlank()) {
            return "not valid JSON";
        }
        String s = SOURCE.matcher(message).replaceAll("line $1, column $2");
        s = ASIDE.matcher(s).replaceAll("");
        s = ENABLE.matcher(s).replaceAll("");
        s = QUOTED_NAME.matcher(s).replaceAll("");
        return tokenNames(s).strip();
    }

    /** Jackson's {@code JsonToken} names, as a reader calls them. */
    private static String tokenNames(String s) {
        return s.replace("VALUE_STRING", "a string")
                .replace("VALUE_NUMBER_INT", "a number")
                .replace("VALUE_NUMBER_FLOAT", "a number")
                .replace("VALUE_TRUE", "true")
                .replace("VALUE_FALSE", "false")
                .replace("VALUE_NULL", "null")
                .replace("FIELD_NAME", "a field name")
                .replace("START_OBJECT", "an object")
                .replace("END_OBJECT", "the end of an object")
                .replace("START_ARRAY", "an array")
                .replace("END_ARRAY", "the end of an array");
    }
}
