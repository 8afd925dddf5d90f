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

    public Glob(String pattern) {
        this.pattern = Objects.requireNonNull(pattern, "pattern == null");
        this.regex = regex(pattern);
    }

    public String pattern() {
        return pattern;
    }

    public boolean matches(String text) {
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
