package io.tidegate.policy;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A path glob as policy authors write it: {@code *} matches within one path segment (never a
 * {@code /}), {@code **} matches across segments, and a trailing {@code /**} also matches the
 * directory itself ({@code environments/prod/**} matches {@code environments/prod}). Anything
 * else is literal; matching is whole-string and case-sensitive, never a substring match.
 */
public final class Glob {
    private final String pattern;
    private final Pattern regex;
    /** The fast path's shape (issue 19: regex matchers were a tenth of a 50-project decide). */
    private final Shape shape;
    /** The literal part the fast path compares: all of it, or what precedes the wildcard. */
    private final String literal;

    /** The shapes almost every policy uses, matched without a regex; the rest use the regex. */
    private enum Shape { LITERAL, TREE, SEGMENT_PREFIX, REGEX }

    public Glob(String pattern) {
        this.pattern = Objects.requireNonNull(pattern, "pattern == null");
        this.regex = regex(pattern);
        String stem = pattern.endsWith("/**") ? pattern.substring(0, pattern.length() - 3) : "";
        if (pattern.indexOf('*') < 0) {
            shape = Shape.LITERAL;
            literal = pattern;
        } else if (pattern.endsWith("/**") && stem.indexOf('*') < 0) {
            shape = Shape.TREE; // "environments/prod/**": the folder itself or anything below
            literal = stem;
        } else if (pattern.indexOf('*') == pattern.length() - 1) {
            shape = Shape.SEGMENT_PREFIX; // "aws_rds_cluster*": the rest within one segment
            literal = pattern.substring(0, pattern.length() - 1);
        } else {
            shape = Shape.REGEX;
            literal = "";
        }
    }

    public String pattern() {
        return pattern;
    }

    public boolean matches(String text) {
        return switch (shape) {
            case LITERAL -> literal.equals(text);
            case TREE -> text.startsWith(literal) && (text.length() == literal.length()
                    || text.charAt(literal.length()) == '/');
            case SEGMENT_PREFIX -> text.startsWith(literal)
                    && text.indexOf('/', literal.length()) < 0;
            case REGEX -> regex.matcher(text).matches();
        };
    }

    /** The regex every shape stands for: what the fast path is tested against. */
    boolean matchesByRegex(String text) {
        return regex.matcher(text).matches();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Glob && ((Glob) o).pattern.equals(pattern);
    }

    @Override
    public int hashCode() {
        return pattern.hashCode();
    }

    @Override
    public String toString() {
        return pattern;
    }

    /** Whether the pattern has no wildcard at all. */
    public boolean isLiteral() {
        return pattern.indexOf('*') < 0;
    }

    /** A string this glob matches (each wildcard replaced by "x"): used to detect overlaps. */
    String example() {
        String p = pattern.endsWith("/**") ? pattern.substring(0, pattern.length() - 3) : pattern;
        return p.replace("**", "x").replace("*", "x");
    }

    private static Pattern regex(String pattern) {
        StringBuilder re = new StringBuilder();
        String p = pattern;
        String suffix = "";
        if (p.endsWith("/**")) {
            p = p.substring(0, p.length() - 3);
            suffix = "(?:/.*)?";
        }
        for (int i = 0; i < p.length(); i++) {
            char c = p.charAt(i);
            if (c == '*' && i + 1 < p.length() && p.charAt(i + 1) == '*') {
                re.append(".*");
                i++;
            } else if (c == '*') {
                re.append("[^/]*");
            } else {
                re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(re + suffix);
    }
}
