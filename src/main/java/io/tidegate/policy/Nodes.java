package io.tidegate.policy;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Typed reads of {@link YamlNode}s for the policy parsers. Every read that fails adds one problem
 * at the offending value and returns empty, so parsing goes on and all problems surface at once.
 */
public final class Nodes {
    private static final Pattern MONEY = Pattern.compile("\\d{1,12}(\\.\\d{1,6})?");
    private static final Pattern INTEGER = Pattern.compile("\\d{1,9}");

    private final Problems problems;

    public Nodes(Problems problems) {
        this.problems = problems;
    }

    public void problem(YamlNode.Location at, String message) {
        problems.add(at, message);
    }

    /** The node as a mapping whose keys are all in {@code allowed} (others reported). */
    public Optional<YamlNode.Mapping> mapping(YamlNode node, String what, List<String> allowed) {
        if (!(node instanceof YamlNode.Mapping)) {
            problem(node.location(), what + " must be a mapping, found " + YamlNode.kind(node));
            return Optional.empty();
        }
        YamlNode.Mapping m = (YamlNode.Mapping) node;
        for (YamlNode.Entry e : m.entries().values()) {
            if (!allowed.contains(e.key())) {
                problem(e.keyLocation(), "unknown key \"" + e.key() + "\" in " + what
                        + " (expected one of: " + String.join(", ", allowed) + ")");
            }
        }
        return Optional.of(m);
    }

    /** The node as a mapping with free keys (names chosen by the author). */
    public Optional<YamlNode.Mapping> namedMapping(YamlNode node, String what) {
        if (!(node instanceof YamlNode.Mapping)) {
            problem(node.location(), what + " must be a mapping, found " + YamlNode.kind(node));
            return Optional.empty();
        }
        return Optional.of((YamlNode.Mapping) node);
    }

    public Optional<YamlNode> get(YamlNode.Mapping m, String key) {
        YamlNode.Entry e = m.entries().get(key);
        return e == null ? Optional.empty() : Optional.of(e.value());
    }

    /** A required key: reports {@code missing key "x" in what} at the mapping. */
    public Optional<YamlNode> require(YamlNode.Mapping m, String key, String what) {
        Optional<YamlNode> v = get(m, key);
        if (v.isEmpty()) {
            problem(m.location(), "missing key \"" + key + "\" in " + what);
        }
        return v;
    }

    public List<YamlNode> list(YamlNode node, String what) {
        if (node instanceof YamlNode.Sequence) {
            return ((YamlNode.Sequence) node).items();
        }
        problem(node.location(), what + " must be a list, found " + YamlNode.kind(node));
        return List.of();
    }

    public Optional<String> string(YamlNode node, String what) {
        if (node instanceof YamlNode.Scalar && !((YamlNode.Scalar) node).isNull()
                && !((YamlNode.Scalar) node).text().isBlank()) {
            return Optional.of(((YamlNode.Scalar) node).text().trim());
        }
        problem(node.location(), what + " must be text, found " + YamlNode.kind(node));
        return Optional.empty();
    }

    /** A list of non-empty strings, items reported one by one. */
    public List<Located> strings(YamlNode node, String what) {
        List<Located> out = new ArrayList<>();
        for (YamlNode item : list(node, what)) {
            string(item, "each item of " + what).ifPresent(s -> out.add(
                    new Located(s, item.location())));
        }
        return out;
    }

    public Optional<Boolean> bool(YamlNode node, String what) {
        if (node instanceof YamlNode.Scalar) {
            String t = ((YamlNode.Scalar) node).text();
            if (t.equals("true") || t.equals("false")) {
                return Optional.of(Boolean.valueOf(t));
            }
        }
        problem(node.location(), what + " must be true or false, found " + YamlNode.kind(node));
        return Optional.empty();
    }

    public Optional<Integer> count(YamlNode node, String what) {
        if (node instanceof YamlNode.Scalar && INTEGER.matcher(
                ((YamlNode.Scalar) node).text().trim()).matches()) {
            return Optional.of(Integer.valueOf(((YamlNode.Scalar) node).text().trim()));
        }
        problem(node.location(), what + " must be a whole number (0 or more), found "
                + YamlNode.kind(node));
        return Optional.empty();
    }

    /** USD as a decimal, read from the text as written (never through a double). */
    public Optional<BigDecimal> money(YamlNode node, String what) {
        if (node instanceof YamlNode.Scalar) {
            String t = ((YamlNode.Scalar) node).text().trim();
            if (MONEY.matcher(t).matches()) {
                return Optional.of(new BigDecimal(t));
            }
        }
        problem(node.location(), what + " must be an amount of USD such as 500 or \"120.50\", "
                + "found " + YamlNode.kind(node));
        return Optional.empty();
    }

    public Optional<Duration> duration(YamlNode node, String what) {
        Optional<String> s = node instanceof YamlNode.Scalar
                ? Optional.of(((YamlNode.Scalar) node).text()) : Optional.empty();
        Optional<Duration> d = s.flatMap(Durations::parse).filter(x -> !x.isZero());
        if (d.isEmpty()) {
            problem(node.location(), what + " must be a duration such as 30m, 2h or 1d, found "
                    + YamlNode.kind(node));
        }
        return d;
    }

    /** A role name used somewhere, checked once every role is known. */
    public record Located(String value, YamlNode.Location location) {}

    public static Set<String> values(List<Located> located) {
        Set<String> out = new java.util.LinkedHashSet<>();
        located.forEach(l -> out.add(l.value()));
        return out;
    }
}
