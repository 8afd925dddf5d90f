package io.tidegate.github;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import io.tidegate.decision.OwnedFile;

/**
 * A GitHub {@code CODEOWNERS} file, as GitHub reads it ("About code owners", GitHub Docs): one
 * rule per line, a pattern then owners ({@code @login}, {@code @org/team-slug} or an e-mail);
 * {@code #} starts a comment; the <em>last</em> matching pattern wins, and a pattern without
 * owners leaves its files unowned. Patterns follow {@code .gitignore} rules: a leading {@code /}
 * or a {@code /} inside anchors the pattern at the repository root, otherwise it matches at any
 * depth; a trailing {@code /} matches what is inside the directory; {@code *} stays within one
 * path segment, {@code **} crosses them, {@code ?} is one character. GitHub does not support
 * {@code !} negation, {@code [ ]} ranges or {@code \#} escapes: such a line is skipped, as
 * GitHub reports it as an error and ignores it. Pure.
 */
public final class CodeOwnersFile {
    /** Where GitHub looks, in order; the first file found is used. */
    public static final List<String> LOCATIONS = List.of(".github/CODEOWNERS", "CODEOWNERS",
            "docs/CODEOWNERS");

    private final List<Rule> rules;

    private CodeOwnersFile(List<Rule> rules) {
        this.rules = rules;
    }

    public static final CodeOwnersFile NONE = new CodeOwnersFile(List.of());

    private record Rule(Pattern pattern, Set<String> owners) {}

    public static CodeOwnersFile parse(String text) {
        List<Rule> rules = new ArrayList<>();
        for (String raw : text.split("\r?\n")) {
            int hash = raw.indexOf('#');
            String line = (hash >= 0 ? raw.substring(0, hash) : raw).trim();
            if (line.isEmpty()) {
                continue;
            }
            String[] parts = line.split("\\s+");
            String pattern = parts[0];
            if (pattern.startsWith("!") || pattern.contains("[") || pattern.contains("\\")) {
                continue;
            }
            Set<String> owners = new LinkedHashSet<>(List.of(parts).subList(1, parts.length));
            rules.add(new Rule(regex(pattern), owners));
        }
        return new CodeOwnersFile(List.copyOf(rules));
    }

    /** The owners of a repository path: the last matching rule's; none when none matches. */
    public Set<String> ownersOf(String path) {
        Optional<Rule> last = Optional.empty();
        for (Rule r : rules) {
            if (r.pattern.matcher(path).matches()) {
                last = Optional.of(r);
            }
        }
        return last.map(Rule::owners).orElse(Set.of());
    }

    /** Each changed file with its owners. */
    public List<OwnedFile> own(List<String> paths) {
        return paths.stream().map(p -> new OwnedFile(p, ownersOf(p))).toList();
    }

    static Pattern regex(String pattern) {
        String p = pattern;
        boolean anchored = p.startsWith("/") || p.substring(0, p.length() - 1).contains("/");
        if (p.startsWith("/")) {
            p = p.substring(1);
        }
        boolean directory = p.endsWith("/");
        if (directory) {
            p = p.substring(0, p.length() - 1);
        }
        StringBuilder re = new StringBuilder(anchored ? "" : "(?:.*/)?");
        for (int i = 0; i < p.length(); i++) {
            char c = p.charAt(i);
            if (p.startsWith("**/", i)) {
                re.append("(?:.*/)?");
                i += 2;
            } else if (p.startsWith("/**", i) && i + 3 == p.length()) {
                re.append("/.*");
                i += 2;
            } else if (p.startsWith("**", i)) {
                re.append(".*");
                i++;
            } else if (c == '*') {
                re.append("[^/]*");
            } else if (c == '?') {
                re.append("[^/]");
            } else {
                re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        // A directory pattern owns what is inside; a name may also be a directory.
        re.append(directory ? "/.*" : "(?:/.*)?");
        return Pattern.compile(re.toString());
    }
}
