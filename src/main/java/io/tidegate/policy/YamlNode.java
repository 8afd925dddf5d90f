package io.tidegate.policy;

import java.util.LinkedHashMap;
import java.util.List;

/**
 * A parsed YAML value that remembers where it was written, so every problem can be reported as
 * {@code file:line:column}. Jackson's tree model drops locations, hence this small tree built
 * from the streaming parser ({@link YamlReader}).
 */
public sealed interface YamlNode {
    Location location();

    /** 1-based line and column of the first character of a value or key. */
    record Location(int line, int column) {}

    /** A scalar as written (numbers keep their text, so money stays exact). */
    record Scalar(String text, boolean isNull, Location location) implements YamlNode {}

    record Sequence(List<YamlNode> items, Location location) implements YamlNode {}

    /** A mapping in written order; each key keeps its own location. */
    record Mapping(LinkedHashMap<String, Entry> entries, Location location) implements YamlNode {}

    record Entry(String key, Location keyLocation, YamlNode value) {}

    /** What a value is called in messages ("a mapping", "a list", "a scalar"). */
    static String kind(YamlNode node) {
        if (node instanceof Mapping) {
            return "a mapping";
        }
        if (node instanceof Sequence) {
            return "a list";
        }
        Scalar s = (Scalar) node;
        return s.isNull() ? "nothing" : "\"" + s.text() + "\"";
    }
}
