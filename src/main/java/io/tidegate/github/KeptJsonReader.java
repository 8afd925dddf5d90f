package io.tidegate.github;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.math.BigInteger;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Reads a JSON document (RFC 8259, UTF-8) into a Jackson tree that holds only the fields a
 * {@link KeptFields} names, while checking every byte of the rest. Why not Jackson's streaming
 * parser with {@code skipChildren}: it still decodes and hashes the name of every field it
 * skips, and a 27 KB {@code pull_request} payload is mostly skipped repository objects, so that
 * was most of the intake's parse time; here a skipped value is only checked (structure, string
 * escapes, control characters, UTF-8, number syntax), never decoded.
 *
 * <p>What it keeps is what Jackson's {@code readTree} builds for the same bytes (int, long or
 * big-integer nodes, doubles, text), which {@code KeptJsonReaderTest} checks on every fixture
 * and on thousands of damaged copies. Limits, as Jackson's defaults: nesting 1,000 deep,
 * numbers 1,000 characters long. A kept field given twice in one object is an error (the payload
 * would be ambiguous); duplicates among skipped fields do not matter.
 */
final class KeptJsonReader {
    static final int MAX_DEPTH = 1_000;
    static final int MAX_NUMBER_LENGTH = 1_000;
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final VarHandle LONGS =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long SPACES = 0x2020202020202020L;
    private static final long HIGH_BITS = 0x8080808080808080L;

    /** Bytes that are not JSON: the message says what, the offset where. */
    static final class SyntaxException extends Exception {
        private static final long serialVersionUID = 1L;
        private final String where;

        SyntaxException(String what, byte[] in, int offset) {
            super(what);
            this.where = where(in, offset);
        }

        /** {@code (line L, column C)}, both counted from 1. */
        String where() {
            return where;
        }

        private static String where(byte[] in, int offset) {
            int line = 1;
            int lineStart = 0;
            for (int i = 0; i < Math.min(offset, in.length); i++) {
                if (in[i] == '\n') {
                    line++;
                    lineStart = i + 1;
                }
            }
            return "(line " + line + ", column " + (offset - lineStart + 1) + ")";
        }
    }

    private final byte[] in;
    private int at;
    private int depth;

    private KeptJsonReader(byte[] in) {
        this.in = in;
    }

    /** The kept tree, or null when the input holds only whitespace. */
    static JsonNode read(byte[] in, KeptFields kept) throws SyntaxException {
        KeptJsonReader reader = new KeptJsonReader(in);
        reader.skipByteOrderMark();
        reader.whitespace();
        if (reader.at == in.length) {
            return null;
        }
        JsonNode root = reader.value(kept);
        reader.whitespace();
        if (reader.at != in.length) {
            throw reader.error("unexpected data after the JSON value");
        }
        return root;
    }

    // --- values that are kept ----------------------------------------------------------------

    private JsonNode value(KeptFields kept) throws SyntaxException {
        switch (peek()) {
            case '{':
                return object(kept);
            case '[':
                return array(kept);
            case '"':
                return NODES.textNode(string());
            case 't':
                literal("true");
                return NODES.booleanNode(true);
            case 'f':
                literal("false");
                return NODES.booleanNode(false);
            case 'n':
                literal("null");
                return NODES.nullNode();
            default:
                return number();
        }
    }

    private ObjectNode object(KeptFields kept) throws SyntaxException {
        enter();
        ObjectNode object = NODES.objectNode();
        if (!emptyContainer('}')) {
            do {
                whitespace();
                int nameAt = at;
                KeptFields child = fieldName(kept);
                if (child == null) {
                    skipValue();
                    continue;
                }
                String name = string(nameAt);
                if (object.has(name)) {
                    at = nameAt;
                    throw error("duplicate field '" + name + "'");
                }
                object.set(name, value(child));
            } while (next('}'));
        }
        depth--;
        return object;
    }

    private ArrayNode array(KeptFields kept) throws SyntaxException {
        enter();
        ArrayNode array = NODES.arrayNode();
        if (!emptyContainer(']')) {
            do {
                whitespace();
                array.add(value(kept));
            } while (next(']'));
        }
        depth--;
        return array;
    }

    /**
     * Moves past a field name and its colon; what is kept of that field, or null. A plain name
     * is matched on its bytes, so the names of skipped fields are never decoded.
     */
    private KeptFields fieldName(KeptFields kept) throws SyntaxException {
        if (peek() != '"') {
            throw error("expected a field name in double quotes");
        }
        int start = at + 1;
        boolean plain = skipString();
        int end = at - 1;
        KeptFields child = plain ? kept.childOrNull(in, start, end - start)
                : kept.childOrNull(decode(start, end));
        whitespace();
        if (peek() != ':') {
            throw error("expected ':' after a field name");
        }
        at++;
        whitespace();
        return child;
    }

    /** The string whose opening quote is at {@code quote} (already checked). */
    private String string(int quote) throws SyntaxException {
        int saved = at;
        at = quote;
        String s = string();
        at = saved;
        return s;
    }

    private String string() throws SyntaxException {
        int start = at + 1;
        boolean plain = skipString();
        int end = at - 1;
        if (plain) {
            // ASCII without escapes: one byte per char.
            return new String(in, start, end - start, StandardCharsets.ISO_8859_1);
        }
        return decode(start, end);
    }

    /** Decodes a string body skipString already checked: UTF-8 runs and escapes. */
    private String decode(int start, int end) {
        StringBuilder out = new StringBuilder(end - start);
        int run = start;
        int i = start;
        while (i < end) {
            if (in[i] != '\\') {
                i++;
                continue;
            }
            out.append(new String(in, run, i - run, StandardCharsets.UTF_8));
            byte e = in[i + 1];
            if (e == 'u') {
                out.append((char) Integer.parseInt(new String(in, i + 2, 4,
                        StandardCharsets.ISO_8859_1), 16));
                i += 6;
            } else {
                out.append(escaped(e));
                i += 2;
            }
            run = i;
        }
        return out.append(new String(in, run, end - run, StandardCharsets.UTF_8)).toString();
    }

    private static char escaped(byte e) {
        return switch (e) {
            case 'b' -> '\b';
            case 'f' -> '\f';
            case 'n' -> '\n';
            case 'r' -> '\r';
            case 't' -> '\t';
            default -> (char) e; // '"', '\\' and '/' stand for themselves
        };
    }

    private JsonNode number() throws SyntaxException {
        int start = at;
        boolean integral = skipNumber();
        String text = new String(in, start, at - start, StandardCharsets.ISO_8859_1);
        if (!integral) {
            return NODES.numberNode(Double.parseDouble(text));
        }
        // The node types Jackson's readTree picks, so trees compare equal.
        if (text.length() <= 18) {
            long v = Long.parseLong(text);
            return v == (int) v ? NODES.numberNode((int) v) : NODES.numberNode(v);
        }
        BigInteger v = new BigInteger(text);
        return v.bitLength() < 64 ? NODES.numberNode(v.longValue()) : NODES.numberNode(v);
    }

    // --- values that are skipped: checked, never built ----------------------------------------

    private void skipValue() throws SyntaxException {
        switch (peek()) {
            case '{':
                skipObject();
                return;
            case '[':
                skipArray();
                return;
            case '"':
                skipString();
                return;
            case 't':
                literal("true");
                return;
            case 'f':
                literal("false");
                return;
            case 'n':
                literal("null");
                return;
            default:
                skipNumber();
        }
    }

    private void skipObject() throws SyntaxException {
        enter();
        if (!emptyContainer('}')) {
            do {
                whitespace();
                if (peek() != '"') {
                    throw error("expected a field name in double quotes");
                }
                skipString();
                whitespace();
                if (peek() != ':') {
                    throw error("expected ':' after a field name");
                }
                at++;
                whitespace();
                skipValue();
            } while (next('}'));
        }
        depth--;
    }

    private void skipArray() throws SyntaxException {
        enter();
        if (!emptyContainer(']')) {
            do {
                whitespace();
                skipValue();
            } while (next(']'));
        }
        depth--;
    }

    /**
     * Moves past a string starting at the opening quote, checking escapes, control characters
     * and UTF-8. Returns true when it is plain ASCII without escapes.
     */
    private boolean skipString() throws SyntaxException {
        at++;
        boolean plain = true;
        while (true) {
            at = plainRun(at);
            if (at >= in.length) {
                throw error("unexpected end of input inside a string");
            }
            int b = in[at] & 0xff;
            if (b == '"') {
                at++;
                return plain;
            }
            if (b == '\\') {
                plain = false;
                escape();
            } else if (b < 0x20) {
                throw error("control character (code " + b + ") inside a string: must be "
                        + "escaped");
            } else if (b >= 0x80) {
                plain = false;
                at += utf8Length(b);
            } else {
                at++;
            }
        }
    }

    /**
     * The first position from {@code i} holding a quote, a backslash, a control character or a
     * non-ASCII byte. Eight bytes at a time: most of a payload is skipped string content (URLs),
     * and this loop was the intake's hottest. Each test flags a byte with its high bit; a flag
     * can be spurious only above a real one, and the lowest flag is what is used.
     */
    private int plainRun(int i) {
        while (i + 8 <= in.length) {
            long w = (long) LONGS.get(in, i);
            long quote = w ^ 0x2222222222222222L;
            long backslash = w ^ 0x5C5C5C5C5C5C5C5CL;
            long stop = ((quote - ONES) & ~quote) | ((backslash - ONES) & ~backslash)
                    | ((w - SPACES) & ~w) | w;
            stop &= HIGH_BITS;
            if (stop != 0) {
                return i + (Long.numberOfTrailingZeros(stop) >>> 3);
            }
            i += 8;
        }
        while (i < in.length) {
            int b = in[i] & 0xff;
            if (b == '"' || b == '\\' || b < 0x20 || b >= 0x80) {
                return i;
            }
            i++;
        }
        return i;
    }

    private void escape() throws SyntaxException {
        if (at + 1 >= in.length) {
            throw error("unexpected end of input inside a string");
        }
        byte e = in[at + 1];
        switch (e) {
            case '"', '\\', '/', 'b', 'f', 'n', 'r', 't' -> at += 2;
            case 'u' -> {
                for (int i = 2; i < 6; i++) {
                    if (at + i >= in.length || Character.digit(in[at + i], 16) < 0) {
                        throw error("\\u must be followed by four hex digits");
                    }
                }
                at += 6;
            }
            default -> throw error("unknown escape '\\" + printable(e) + "'");
        }
    }

    /** The length of the UTF-8 sequence starting with {@code lead} at {@code at}, checked. */
    private int utf8Length(int lead) throws SyntaxException {
        int length;
        int min;
        int max;
        if (lead >= 0xC2 && lead <= 0xDF) {
            return continuation(2, 0x80, 0xBF);
        } else if (lead == 0xE0) {
            length = 3;
            min = 0xA0;
            max = 0xBF;
        } else if (lead == 0xED) {
            length = 3; // no UTF-16 surrogates encoded as UTF-8
            min = 0x80;
            max = 0x9F;
        } else if (lead >= 0xE1 && lead <= 0xEF) {
            length = 3;
            min = 0x80;
            max = 0xBF;
        } else if (lead == 0xF0) {
            length = 4;
            min = 0x90;
            max = 0xBF;
        } else if (lead >= 0xF1 && lead <= 0xF3) {
            length = 4;
            min = 0x80;
            max = 0xBF;
        } else if (lead == 0xF4) {
            length = 4;
            min = 0x80;
            max = 0x8F;
        } else {
            throw error("invalid UTF-8 byte 0x" + Integer.toHexString(lead));
        }
        return continuation(length, min, max);
    }

    /** Checks the continuation bytes; the first may have a narrower range than the rest. */
    private int continuation(int length, int firstMin, int firstMax) throws SyntaxException {
        for (int i = 1; i < length; i++) {
            if (at + i >= in.length) {
                throw error("unexpected end of input inside a string");
            }
            int b = in[at + i] & 0xff;
            int min = i == 1 ? firstMin : 0x80;
            int max = i == 1 ? firstMax : 0xBF;
            if (b < min || b > max) {
                throw error("invalid UTF-8 sequence");
            }
        }
        return length;
    }

    /** Moves past a number; returns true when it has no fraction and no exponent. */
    private boolean skipNumber() throws SyntaxException {
        int start = at;
        if (at < in.length && in[at] == '-') {
            at++;
        }
        if (at >= in.length || !digit(in[at])) {
            at = start;
            throw error(at >= in.length ? "unexpected end of input"
                    : "unexpected character '" + printable(in[at]) + "'");
        }
        boolean integral = true;
        if (in[at] == '0') {
            at++;
            if (at < in.length && digit(in[at])) {
                throw error("leading zeros are not allowed in numbers");
            }
        } else {
            digits();
        }
        if (at < in.length && in[at] == '.') {
            integral = false;
            at++;
            requireDigit("a digit after the decimal point");
            digits();
        }
        if (at < in.length && (in[at] == 'e' || in[at] == 'E')) {
            integral = false;
            at++;
            if (at < in.length && (in[at] == '+' || in[at] == '-')) {
                at++;
            }
            requireDigit("a digit in the exponent");
            digits();
        }
        if (at - start > MAX_NUMBER_LENGTH) {
            at = start;
            throw error("number longer than " + MAX_NUMBER_LENGTH + " characters");
        }
        return integral;
    }

    private void requireDigit(String what) throws SyntaxException {
        if (at >= in.length || !digit(in[at])) {
            throw error("expected " + what);
        }
    }

    private void digits() {
        while (at < in.length && digit(in[at])) {
            at++;
        }
    }

    private static boolean digit(byte b) {
        return b >= '0' && b <= '9';
    }

    // --- shared structure ----------------------------------------------------------------------

    private void enter() throws SyntaxException {
        if (++depth > MAX_DEPTH) {
            throw error("nested deeper than " + MAX_DEPTH + " levels");
        }
    }

    /** After an opening bracket: true (and past the closing one) when the container is empty. */
    private boolean emptyContainer(char close) {
        at++;
        whitespace();
        if (at < in.length && in[at] == close) {
            at++;
            return true;
        }
        return false;
    }

    /** After a member: true when a comma announces another, false past the closing bracket. */
    private boolean next(char close) throws SyntaxException {
        whitespace();
        if (at < in.length && in[at] == ',') {
            at++;
            return true;
        }
        if (at < in.length && in[at] == close) {
            at++;
            return false;
        }
        throw error("expected ',' or '" + close + "'");
    }

    private void literal(String word) throws SyntaxException {
        for (int i = 0; i < word.length(); i++) {
            if (at + i >= in.length || in[at + i] != word.charAt(i)) {
                throw error("unexpected character: expected '" + word + "'");
            }
        }
        at += word.length();
    }

    private int peek() throws SyntaxException {
        if (at >= in.length) {
            throw error("unexpected end of input");
        }
        return in[at];
    }

    private void whitespace() {
        while (at < in.length) {
            byte b = in[at];
            if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
                return;
            }
            at++;
        }
    }

    private void skipByteOrderMark() {
        if (in.length >= 3 && (in[0] & 0xff) == 0xEF && (in[1] & 0xff) == 0xBB
                && (in[2] & 0xff) == 0xBF) {
            at = 3;
        }
    }

    private SyntaxException error(String what) {
        return new SyntaxException(what, in, at);
    }

    private static String printable(byte b) {
        return b >= 0x20 && b < 0x7f ? String.valueOf((char) b)
                : "0x" + Integer.toHexString(b & 0xff);
    }
}
