package io.tidegate.policy;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Reads YAML text into {@link YamlNode}s with locations, through Jackson's streaming parser.
 * Duplicate keys are reported (YAML forbids them; silently keeping the last one hides typos).
 * A syntax error is placed at SnakeYAML's problem mark (the offending character), not at the
 * token Jackson read last or the mark of the construct it was in, and shows that line.
 */
public final class YamlReader {
    private static final YAMLFactory FACTORY = new YAMLFactory();

    private final Problems problems;

    public YamlReader(Problems problems) {
        this.problems = problems;
    }

    /** The document's root, or empty when the text is empty or not YAML (a problem is added). */
    public Optional<YamlNode> read(String text) {
        try (JsonParser p = FACTORY.createParser(text)) {
            JsonToken first = p.nextToken();
            if (first == null) {
                problems.add(new YamlNode.Location(1, 1), "the file is empty");
                return Optional.empty();
            }
            YamlNode root = value(p, first);
            if (p.nextToken() != null) {
                // A second document would be silently ignored: a rule appended after "---"
                // must not look applied when it is not.
                problems.add(location(p.currentTokenLocation()), "a second YAML document: a "
                        + "policy file holds one document (remove the \"---\" line)");
                return Optional.empty();
            }
            return Optional.of(root);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            syntaxError(e, text);
            return Optional.empty();
        } catch (IOException e) {
            // Reading from a String fails only through the parser; kept for the checked type.
            problems.add(new YamlNode.Location(1, 1), "not valid YAML: " + e.getMessage());
            return Optional.empty();
        }
    }

    private YamlNode value(JsonParser p, JsonToken token) throws IOException {
        YamlNode.Location at = location(p.currentTokenLocation());
        if (token == JsonToken.START_OBJECT) {
            return mapping(p, at);
        }
        if (token == JsonToken.START_ARRAY) {
            List<YamlNode> items = new ArrayList<>();
            for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
                items.add(value(p, t));
            }
            return new YamlNode.Sequence(List.copyOf(items), at);
        }
        return new YamlNode.Scalar(p.getText(), token == JsonToken.VALUE_NULL, at);
    }

    private YamlNode mapping(JsonParser p, YamlNode.Location at) throws IOException {
        LinkedHashMap<String, YamlNode.Entry> entries = new LinkedHashMap<>();
        for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
            String key = p.currentName();
            YamlNode.Location keyAt = location(p.currentTokenLocation());
            YamlNode value = value(p, p.nextToken());
            if (entries.containsKey(key)) {
                problems.add(keyAt, "duplicate key \"" + key + "\"");
                continue;
            }
            entries.put(key, new YamlNode.Entry(key, keyAt, value));
        }
        return new YamlNode.Mapping(entries, at);
    }

    private void syntaxError(com.fasterxml.jackson.core.JsonProcessingException e,
            String text) {
        if (!(e.getCause() instanceof MarkedYAMLException m) || m.getProblemMark() == null) {
            problems.add(location(e), "not valid YAML: " + summary(e.getOriginalMessage()));
            return;
        }
        // SnakeYAML's marks are 0-based; the context mark is where the enclosing construct
        // began ("while parsing a flow mapping"), named in the message, not the location.
        Mark problem = m.getProblemMark();
        YamlNode.Location at = new YamlNode.Location(problem.getLine() + 1,
                problem.getColumn() + 1);
        String message = "not valid YAML: " + oneLine(m.getProblem());
        Mark context = m.getContextMark();
        if (m.getContext() != null && context != null) {
            message += " (" + oneLine(m.getContext()) + " started at " + (context.getLine() + 1)
                    + ":" + (context.getColumn() + 1) + ")";
        }
        problems.add(at, message, excerpt(text, at));
    }

    /** The line of {@code at} and a caret under its column; tabs shown as spaces to align. */
    static String excerpt(String text, YamlNode.Location at) {
        List<String> lines = text.lines().toList();
        String line = at.line() <= lines.size() ? lines.get(at.line() - 1) : "";
        int column = Math.min(at.column() - 1, line.length());
        int from = Math.max(0, column - 100);
        String shown = line.substring(from, Math.min(line.length(), column + 100))
                .replace('\t', ' ');
        return "    " + shown + "\n    " + " ".repeat(column - from) + "^";
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.strip().replaceAll("\\s*\\n\\s*", " ");
    }

    private static YamlNode.Location location(JsonLocation l) {
        return new YamlNode.Location(Math.max(1, l.getLineNr()), Math.max(1, l.getColumnNr()));
    }

    private static YamlNode.Location location(
            com.fasterxml.jackson.core.JsonProcessingException e) {
        JsonLocation l = e.getLocation();
        return l == null ? new YamlNode.Location(1, 1) : location(l);
    }

    /**
     * SnakeYAML's message without its source excerpt: the unindented lines ("while parsing a
     * flow sequence", "expected ',' or ']', but got <stream end>"), joined.
     */
    private static String summary(String s) {
        if (s == null || s.isBlank()) {
            return "unreadable";
        }
        return java.util.Arrays.stream(s.split("\n"))
                .filter(l -> !l.isBlank() && !Character.isWhitespace(l.charAt(0)))
                .collect(java.util.stream.Collectors.joining("; "));
    }
}
