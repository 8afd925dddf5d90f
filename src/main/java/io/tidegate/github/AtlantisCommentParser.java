package io.tidegate.github;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import io.tidegate.github.CommentCommand.Addressee;
import io.tidegate.github.CommentCommand.Invalid;
import io.tidegate.github.CommentCommand.Verb;

/**
 * Atlantis's comment grammar, ported from {@code server/events/comment_parser.go}
 * ({@code CommentParser.Parse}) of Atlantis v0.47.0-7-g078d0a820 with the default executable
 * name {@code atlantis}, every comment command allowed and the default blocked extra args: a
 * comment Atlantis runs is an {@link CommentCommand.Atlantis} (plan, apply, import, state rm)
 * selecting what Atlantis selects, one Atlantis refuses with an error is an {@link Invalid},
 * and one Atlantis ignores, answers with help or "did you mean", or runs without changing
 * anything Tidegate gates (unlock, version, cancel, approve_policies) is
 * {@link CommentCommand.NotACommand}. {@code comment_parser_test.go} is ported as
 * {@code AtlantisCommentGrammarTest}.
 *
 * <p>Steps, as Atlantis takes them: trim spaces then backticks; ignore a comment with a second
 * non-empty line; split on spaces; the first word (lower-cased) must be {@code atlantis},
 * {@code run} or {@code @<bot>}; re-split shell-style ({@link Shlex}); lower-case the command;
 * parse flags as spf13/pflag does (interspersed, {@code -pNAME}, {@code --project=NAME}, last
 * repeated flag wins, {@code --verbose=true}, {@code --} ends flags); check subcommand, argument
 * count, blocked extra args, the directory (cleaned; globs kept), the workspace
 * ({@code valid.ValidateWorkspaceName}) and that {@code -p} excludes {@code -d}/{@code -w}.
 * Immutable and safe for concurrent use.
 */
final class AtlantisCommentParser {
    /** comment_parser.go, multiLineRegex: a newline followed by a non-empty line. */
    private static final Pattern MULTI_LINE = Pattern.compile("\\r?\\n[^\\r\\n]+");
    /** comment_parser.go, DefaultBlockedExtraArgs. */
    private static final List<String> BLOCKED_EXTRA_ARGS = List.of("-chdir", "--chdir",
            "-plugin-dir", "--plugin-dir");
    private static final Set<String> HELP = Set.of("help", "-h", "--help");

    private final String botMention;

    /** {@code botMention}: {@code @login} of Atlantis's GitHub user, or "" for none. */
    AtlantisCommentParser(String botMention) {
        this.botMention = botMention;
    }

    /** A flag of a command: long name, shorthand (0 for none), and whether it is a bool. */
    private record FlagSpec(String name, char shorthand, boolean bool) {}

    /** The flags each command defines in Parse's switch. */
    private static final Map<String, List<FlagSpec>> FLAGS = flags();

    private static Map<String, List<FlagSpec>> flags() {
        FlagSpec w = new FlagSpec("workspace", 'w', false);
        FlagSpec d = new FlagSpec("dir", 'd', false);
        FlagSpec p = new FlagSpec("project", 'p', false);
        FlagSpec verbose = new FlagSpec("verbose", (char) 0, true);
        Map<String, List<FlagSpec>> m = new HashMap<>();
        m.put("plan", List.of(w, d, p, verbose));
        m.put("apply", List.of(w, d, p, new FlagSpec("auto-merge-disabled", (char) 0, true),
                new FlagSpec("auto-merge-method", (char) 0, false), verbose));
        m.put("approve_policies", List.of(w, d, p, new FlagSpec("policy-set", (char) 0, false),
                new FlagSpec("clear-policy-approval", (char) 0, true), verbose));
        m.put("unlock", List.of());
        m.put("cancel", List.of());
        m.put("version", List.of(w, d, p, verbose));
        m.put("import", List.of(w, d, p, verbose));
        m.put("state", List.of(w, d, p, verbose));
        return Map.copyOf(m);
    }

    /** Atlantis answered with help or usage: it runs nothing. */
    private static final class HelpRequested extends Exception {
        HelpRequested() {
            super(null, null, false, false);
        }
    }

    /** Atlantis answered with an error: it runs nothing and says why. */
    private static final class Refused extends Exception {
        Refused(String message) {
            super(message, null, false, false);
        }
    }

    CommentCommand parse(String raw) {
        String comment = trimBackticks(goTrimSpace(raw));
        if (MULTI_LINE.matcher(comment).find()) {
            return new CommentCommand.NotACommand();
        }
        List<String> fields = fields(comment);
        if (fields.isEmpty()) {
            return new CommentCommand.NotACommand();
        }
        String executable = goToLower(fields.get(0));
        // "terraform ..." and near-misses of "atlantis" get Atlantis's "did you mean" reply.
        if (executable.equals("terraform") || isSimilarWord(executable, "atlantis")
                || !isAddressedToAtlantis(executable)) {
            return new CommentCommand.NotACommand();
        }
        try {
            return command(comment, Shlex.split(comment));
        } catch (Shlex.SyntaxException e) {
            return invalid(comment, "Error parsing command: " + e.getMessage());
        } catch (HelpRequested e) {
            return new CommentCommand.NotACommand();
        } catch (Refused e) {
            return invalid(comment, e.getMessage());
        }
    }

    private boolean isAddressedToAtlantis(String executable) {
        return executable.equals("run") || executable.equals("atlantis")
                // as configured, against the lower-cased word: a login configured with capitals
                // is never matched, by Atlantis either ("@" + vcsUser in executableNames)
                || (!botMention.isEmpty() && executable.equals(botMention));
    }

    private static CommentCommand command(String comment, List<String> args)
            throws HelpRequested, Refused {
        if (args.size() < 2) {
            throw new HelpRequested(); // just the executable: Atlantis shows its help
        }
        String cmd = goToLower(args.get(1));
        if (HELP.contains(cmd)) {
            throw new HelpRequested();
        }
        List<FlagSpec> specs = FLAGS.get(cmd);
        if (specs == null) {
            throw new Refused("unknown command \"" + cmd + "\"");
        }
        Parsed p = parseFlags(cmd, specs, args.subList(2, args.size()));
        String dir = validateDir(p.value("dir"));
        String workspace = p.value("workspace");
        String project = p.value("project");
        validateWorkspace(workspace);
        if (!project.isEmpty() && (!workspace.isEmpty() || !dir.isEmpty())) {
            throw new Refused("cannot use -p/--project at same time as -d/--dir or"
                    + " -w/--workspace");
        }
        if (!p.value("auto-merge-method").isEmpty() && p.value("auto-merge-disabled")
                .equals("true")) {
            throw new Refused("cannot use --auto-merge-method at the same time as"
                    + " --auto-merge-disabled");
        }
        Verb verb = switch (cmd) {
            case "plan" -> Verb.PLAN;
            case "apply" -> Verb.APPLY;
            case "import" -> Verb.IMPORT;
            case "state" -> Verb.STATE_RM;
            default -> null; // unlock, version, cancel, approve_policies: not gated
        };
        if (verb == null) {
            return new CommentCommand.NotACommand();
        }
        return new CommentCommand.Atlantis(verb, nonEmpty(project), nonEmpty(cleanDir(dir)),
                nonEmpty(workspace), p.extraArgs());
    }

    /** What pflag and parseArgs leave: flag values, and the args for Terraform. */
    private record Parsed(Map<String, String> values, List<String> extraArgs) {
        String value(String name) {
            return values.getOrDefault(name, "");
        }
    }

    private static Parsed parseFlags(String cmd, List<FlagSpec> specs, List<String> args)
            throws HelpRequested, Refused {
        Map<String, String> values = new HashMap<>();
        List<String> positional = new ArrayList<>();
        int argsLenAtDash = -1;
        try {
            for (int i = 0; i < args.size(); i++) {
                String a = args.get(i);
                if (a.length() < 2 || a.charAt(0) != '-') {
                    positional.add(a); // pflag: "" and "-" are arguments too
                } else if (a.equals("--")) {
                    argsLenAtDash = positional.size();
                    positional.addAll(args.subList(i + 1, args.size()));
                    break;
                } else if (a.startsWith("--")) {
                    i = longFlag(specs, a, args, i, values);
                } else {
                    i = shortFlags(specs, a, args, i, values);
                }
            }
        } catch (Refused e) {
            // comment_parser.go parseArgs: any flag error of unlock answers UnlockUsage
            throw cmd.equals("unlock") ? new Refused("unlock takes no flags or arguments") : e;
        }
        List<String> commandArgs = argsLenAtDash < 0 ? positional
                : positional.subList(0, argsLenAtDash);
        List<String> extra = new ArrayList<>(argsLenAtDash < 0 ? List.of()
                : positional.subList(argsLenAtDash, positional.size()));
        if (cmd.equals("state")) {
            if (commandArgs.isEmpty()) {
                throw new Refused("subcommand required");
            }
            if (!commandArgs.get(0).equals("rm")) {
                throw new Refused("invalid subcommand " + commandArgs.get(0) + " (not rm)");
            }
            commandArgs = commandArgs.subList(1, commandArgs.size());
        }
        // command.Name.CommandArgCount: import ADDRESS ID, state rm ADDRESS..., others none
        boolean countOk = switch (cmd) {
            case "import" -> commandArgs.size() == 2;
            case "state" -> !commandArgs.isEmpty();
            default -> commandArgs.isEmpty();
        };
        if (!countOk) {
            throw new Refused("unknown argument(s) – " + String.join(" ", commandArgs));
        }
        extra.addAll(commandArgs);
        for (String arg : extra) {
            for (String blocked : BLOCKED_EXTRA_ARGS) {
                if (arg.equals(blocked) || arg.startsWith(blocked + "=")) {
                    throw new Refused("flag \"" + arg + "\" is not allowed in extra args");
                }
            }
        }
        return new Parsed(values, extra);
    }

    /** pflag's parseLongArg; returns the index of the last argument used. */
    private static int longFlag(List<FlagSpec> specs, String a, List<String> args, int i,
            Map<String, String> values) throws HelpRequested, Refused {
        String name = a.substring(2);
        if (name.isEmpty() || name.startsWith("-") || name.startsWith("=")) {
            throw new Refused("bad flag syntax: " + a);
        }
        int eq = name.indexOf('=');
        Optional<String> inline = eq < 0 ? Optional.empty() : Optional.of(name.substring(eq + 1));
        name = eq < 0 ? name : name.substring(0, eq);
        FlagSpec spec = find(specs, name);
        if (spec == null) {
            if (name.equals("help")) {
                throw new HelpRequested();
            }
            throw new Refused("unknown flag: --" + name);
        }
        if (inline.isPresent()) {
            set(spec, inline.get(), values);
            return i;
        }
        if (spec.bool()) {
            values.put(spec.name(), "true");
            return i;
        }
        if (i + 1 < args.size()) {
            values.put(spec.name(), args.get(i + 1));
            return i + 1;
        }
        throw new Refused("flag needs an argument: " + a);
    }

    /** pflag's parseShortArg over {@code -abc}; returns the index of the last argument used. */
    private static int shortFlags(List<FlagSpec> specs, String a, List<String> args, int i,
            Map<String, String> values) throws HelpRequested, Refused {
        String shorthands = a.substring(1);
        int used = i;
        while (!shorthands.isEmpty()) {
            char c = shorthands.charAt(0);
            FlagSpec spec = specs.stream().filter(s -> s.shorthand() == c).findFirst()
                    .orElse(null);
            if (spec == null) {
                if (c == 'h') {
                    throw new HelpRequested();
                }
                throw new Refused("unknown shorthand flag: '" + c + "' in -" + shorthands);
            }
            String rest = shorthands.substring(1);
            if (shorthands.length() > 2 && shorthands.charAt(1) == '=') {
                set(spec, shorthands.substring(2), values);
                rest = "";
            } else if (spec.bool()) {
                values.put(spec.name(), "true");
            } else if (shorthands.length() > 1) {
                values.put(spec.name(), shorthands.substring(1));
                rest = "";
            } else if (used + 1 < args.size()) {
                values.put(spec.name(), args.get(++used));
            } else {
                throw new Refused("flag needs an argument: '" + c + "' in -" + shorthands);
            }
            shorthands = rest;
        }
        return used;
    }

    private static void set(FlagSpec spec, String value, Map<String, String> values)
            throws Refused {
        if (!spec.bool()) {
            values.put(spec.name(), value);
            return;
        }
        // strconv.ParseBool
        switch (value) {
            case "1", "t", "T", "TRUE", "true", "True" -> values.put(spec.name(), "true");
            case "0", "f", "F", "FALSE", "false", "False" -> values.put(spec.name(), "false");
            default -> throw new Refused("invalid argument \"" + value + "\" for \"--"
                    + spec.name() + "\" flag: strconv.ParseBool: parsing \"" + value
                    + "\": invalid syntax");
        }
    }

    private static FlagSpec find(List<FlagSpec> specs, String name) {
        return specs.stream().filter(s -> s.name().equals(name)).findFirst().orElse(null);
    }

    /** comment_parser.go, validateDir: globs are kept (no '..'), others cleaned. */
    private static String validateDir(String dir) throws Refused {
        if (dir.isEmpty()) {
            return dir;
        }
        if (CommentCommand.Atlantis.isGlob(dir)) {
            if (dir.contains("..")) {
                throw new Refused("using '..' in glob pattern \"" + dir + "\" with -d/--dir is"
                        + " not allowed");
            }
            if (!isValidGlob(dir)) {
                throw new Refused("invalid glob pattern \"" + dir + "\" with -d/--dir");
            }
            String d = dir.startsWith("./") ? dir.substring(2) : dir;
            d = d.startsWith("/") ? d.substring(1) : d;
            return d.isEmpty() ? "." : d;
        }
        String cleaned = GoPath.clean("./" + GoPath.clean(dir));
        if (cleaned.startsWith("..")) {
            throw new Refused("using a relative path \"" + dir + "\" with -d/--dir is not"
                    + " allowed");
        }
        return cleaned;
    }

    /** event_parser.go, NewCommentCommand: path.Clean, and "/" is ".". */
    private static String cleanDir(String dir) {
        if (dir.isEmpty()) {
            return dir;
        }
        String d = GoPath.clean(dir);
        return d.equals("/") ? "." : d;
    }

    /** doublestar.ValidatePattern: brackets and braces closed, no trailing escape. */
    private static boolean isValidGlob(String p) {
        int brackets = 0;
        int braces = 0;
        for (int i = 0; i < p.length(); i++) {
            char c = p.charAt(i);
            if (c == '\\') {
                if (++i >= p.length()) {
                    return false;
                }
            } else if (c == '[' && brackets == 0) {
                brackets++;
            } else if (c == ']' && brackets > 0) {
                brackets--;
            } else if (c == '{' && brackets == 0) {
                braces++;
            } else if (c == '}' && brackets == 0 && braces > 0) {
                braces--;
            }
        }
        return brackets == 0 && braces == 0;
    }

    /** server/core/config/valid/workspace.go, ValidateWorkspaceName. */
    private static void validateWorkspace(String w) throws Refused {
        String why = null;
        if (w.isEmpty()) {
            return;
        } else if (w.contains("/") || w.contains("\\")) {
            why = "cannot contain '/' or '\\'";
        } else if (w.contains("..")) {
            why = "cannot contain '..'";
        } else if (w.equals(".")) {
            why = "cannot be '.'";
        } else if (w.startsWith("-")) {
            why = "cannot start with '-'";
        } else if (w.startsWith("~")) {
            why = "cannot start with '~'";
        } else if (w.contains("$")) {
            why = "cannot contain '$'";
        } else if (w.codePoints().anyMatch(c -> isGoSpace(c) || Character.isISOControl(c))) {
            why = "cannot contain whitespace or control characters";
        }
        if (why != null) {
            throw new Refused("invalid workspace \"" + w + "\": " + why);
        }
    }

    /** strings.Trim(s, "`"). */
    private static String trimBackticks(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && s.charAt(start) == '`') {
            start++;
        }
        while (end > start && s.charAt(end - 1) == '`') {
            end--;
        }
        return s.substring(start, end);
    }

    /** strings.Fields: words between runs of Unicode white space. */
    static List<String> fields(String s) {
        List<String> out = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        s.codePoints().forEach(c -> {
            if (isGoSpace(c)) {
                if (word.length() > 0) {
                    out.add(word.toString());
                    word.setLength(0);
                }
            } else {
                word.appendCodePoint(c);
            }
        });
        if (word.length() > 0) {
            out.add(word.toString());
        }
        return out;
    }

    /** unicode.IsSpace. */
    /** Go's {@code strings.TrimSpace}: {@link #isGoSpace} at both ends (not Java's strip()). */
    static String goTrimSpace(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && isGoSpace(s.codePointAt(start))) {
            start += Character.charCount(s.codePointAt(start));
        }
        while (end > start && isGoSpace(s.codePointBefore(end))) {
            end -= Character.charCount(s.codePointBefore(end));
        }
        return s.substring(start, end);
    }

    /**
     * Go's {@code strings.ToLower}: each code point's simple lower case, so "İ" is "i"; Java's
     * {@code toLowerCase} uses the full mapping ("i" and a combining dot).
     */
    static String goToLower(String s) {
        StringBuilder out = new StringBuilder(s.length());
        s.codePoints().forEach(c -> out.appendCodePoint(Character.toLowerCase(c)));
        return out.toString();
    }

    private static boolean isGoSpace(int c) {
        return c == '\t' || c == '\n' || c == 0x0B || c == '\f' || c == '\r' || c == ' '
                || c == 0x85 || c == 0xA0 || (c > 0xff && Character.isSpaceChar(c));
    }

    /** utils.IsSimilarWord: Levenshtein distance 1 or 2 (agext/levenshtein, unit costs). */
    static boolean isSimilarWord(String given, String suggestion) {
        int[] a = given.codePoints().toArray();
        int[] b = suggestion.codePoints().toArray();
        int[] prev = new int[b.length + 1];
        int[] cur = new int[b.length + 1];
        for (int j = 0; j <= b.length; j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length; i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length; j++) {
                int sub = prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
                cur[j] = Math.min(sub, Math.min(prev[j] + 1, cur[j - 1] + 1));
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        int dist = prev[b.length];
        return dist > 0 && dist < 3;
    }

    private static Optional<String> nonEmpty(String s) {
        return s.isEmpty() ? Optional.empty() : Optional.of(s);
    }

    private static Invalid invalid(String comment, String problem) {
        return new Invalid(Addressee.ATLANTIS, CommentCommandParser.shorten(comment),
                "Atlantis will refuse it too: " + problem + ".");
    }
}
