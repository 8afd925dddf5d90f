package io.tidegate.github;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

import io.tidegate.github.CommentCommand.Addressee;
import io.tidegate.github.CommentCommand.Invalid;
import io.tidegate.github.CommentCommand.Verb;

/**
 * Reads a pull request comment strictly: words split on spaces, {@code "double"} or
 * {@code 'single'} quotes group words, and nothing else is interpreted (no variables, escapes
 * outside double quotes, globs or command substitution). Anything unexpected in a comment
 * addressed to us is an {@link Invalid}, never a guess.
 *
 * <ul>
 *   <li>Atlantis: {@code atlantis|run|@<bot> plan|apply [-p P | -d DIR [-w WS]] [-- args]}, with
 *       Atlantis's long forms ({@code --project}, {@code --dir}, {@code --workspace},
 *       {@code --flag=value}) and its {@code --verbose}, {@code --auto-merge-disabled},
 *       {@code --auto-merge-method M} (apply). Atlantis itself ignores comments with more than one
 *       non-empty line, and so does this parser, so Tidegate never answers a command Atlantis
 *       will not run. Other Atlantis verbs (unlock, version, ...) are not ours to judge.</li>
 *   <li>Tidegate: the first line only; {@code tidegate explain [-p P]},
 *       {@code tidegate override --reason "..."} (quoted, non-blank, at most
 *       {@value #MAX_REASON} characters), {@code tidegate help}; and the environment commands
 *       {@code freeze}, {@code unfreeze}, {@code unlock} ({@link EnvironmentArgs}).</li>
 * </ul>
 *
 * Immutable and safe for concurrent use.
 */
public final class CommentCommandParser {
    public static final int MAX_REASON = 500;
    private static final int MAX_QUOTED_COMMAND = 120;

    private final String botMention;

    /** {@code botName}: the Atlantis bot's GitHub login, with or without {@code @}; "" for none. */
    public CommentCommandParser(String botName) {
        Objects.requireNonNull(botName, "botName == null");
        String name = botName.strip().replaceFirst("^@", "");
        this.botMention = name.isEmpty() ? "" : "@" + name;
    }

    public CommentCommand parse(String comment) {
        Objects.requireNonNull(comment, "comment == null");
        String text = comment.strip();
        int newline = text.indexOf('\n');
        String firstLine = (newline < 0 ? text : text.substring(0, newline)).strip();
        boolean multiLine = newline >= 0 && !text.substring(newline + 1).isBlank();
        String[] words = firstLine.split("[ \\t]+", 3);
        if (isAtlantisPrefix(words[0])) {
            return multiLine ? new CommentCommand.NotACommand() : atlantis(firstLine, words);
        }
        if ("tidegate".equals(words[0])) {
            return tidegate(firstLine);
        }
        return new CommentCommand.NotACommand();
    }

    private boolean isAtlantisPrefix(String word) {
        return "atlantis".equals(word) || "run".equals(word)
                || (!botMention.isEmpty() && botMention.equalsIgnoreCase(word));
    }

    private static CommentCommand atlantis(String line, String[] words) {
        Verb verb = words.length < 2 ? null : switch (words[1]) {
            case "plan" -> Verb.PLAN;
            case "apply" -> Verb.APPLY;
            default -> null;
        };
        if (verb == null) {
            return new CommentCommand.NotACommand();
        }
        try {
            List<CommentToken> all = CommentToken.split(line);
            return new AtlantisArgs(verb).read(all.subList(2, all.size()));
        } catch (CommandException e) {
            return new Invalid(Addressee.ATLANTIS, shorten(line), e.getMessage());
        }
    }

    private static CommentCommand tidegate(String line) {
        try {
            List<CommentToken> tokens = CommentToken.split(line);
            if (tokens.size() < 2) {
                throw new CommandException("no command given.");
            }
            String command = tokens.get(1).text();
            List<CommentToken> args = tokens.subList(2, tokens.size());
            switch (command) {
                case "help":
                    requireNone(args, "help");
                    return new CommentCommand.Help();
                case "explain":
                    return explain(args);
                case "override":
                    return override(args);
                case "freeze":
                    return EnvironmentArgs.freeze(args);
                case "unfreeze":
                    return EnvironmentArgs.unfreeze(args);
                case "unlock":
                    return EnvironmentArgs.unlock(args);
                default:
                    throw new CommandException(quote(command) + " is not a Tidegate "
                            + "command.");
            }
        } catch (CommandException e) {
            return new Invalid(Addressee.TIDEGATE, shorten(line), e.getMessage());
        }
    }

    private static CommentCommand explain(List<CommentToken> args) throws CommandException {
        Optional<String> project = Optional.empty();
        for (int i = 0; i < args.size(); i++) {
            Flag flag = Flag.of(args, i);
            if (!flag.is("-p", "--project")) {
                throw unexpected(args.get(i), "explain");
            }
            if (project.isPresent()) {
                throw new CommandException("-p is given twice.");
            }
            project = Optional.of(flag.value());
            i = flag.next() - 1;
        }
        return new CommentCommand.Explain(project);
    }

    private static CommentCommand override(List<CommentToken> args) throws CommandException {
        Optional<String> reason = Optional.empty();
        for (int i = 0; i < args.size(); i++) {
            Flag flag = Flag.of(args, i);
            if (!flag.is("--reason")) {
                throw unexpected(args.get(i), "override");
            }
            if (reason.isPresent()) {
                throw new CommandException("--reason is given twice.");
            }
            reason = Optional.of(reason(flag));
            i = flag.next() - 1;
        }
        return new CommentCommand.WindowOverride(reason.orElseThrow(() -> new CommandException(
                "an override needs a reason: --reason \"why it must go now\".")));
    }

    /** An override is audited: its reason must be deliberate text, so quoted and non-blank. */
    static String reason(Flag flag) throws CommandException {
        CommentToken value = flag.token();
        if (!value.quoted()) {
            throw new CommandException("the reason must be in quotes: --reason \"...\".");
        }
        String reason = value.text().strip();
        if (reason.isEmpty()) {
            throw new CommandException("the reason must not be empty.");
        }
        if (reason.length() > MAX_REASON) {
            throw new CommandException("the reason is " + reason.length()
                    + " characters long; at most " + MAX_REASON + " are allowed.");
        }
        return reason;
    }

    private static void requireNone(List<CommentToken> args, String command)
            throws CommandException {
        if (!args.isEmpty()) {
            throw unexpected(args.get(0), command);
        }
    }

    static CommandException unexpected(CommentToken token, String command) {
        String what = token.text().startsWith("-") && !token.quoted() ? "flag" : "argument";
        return new CommandException("unknown " + what + " " + quote(token.text()) + " for "
                + command + ".");
    }

    /**
     * Text from the comment, in a code span: Markdown shows it literally and an {@code @mention}
     * in it notifies nobody.
     */
    static String quote(String s) {
        return "`" + shorten(s).replace('`', '\'') + "`";
    }

    static String shorten(String s) {
        String oneLine = s.replaceAll("[\\r\\n\\t]+", " ");
        return oneLine.length() <= MAX_QUOTED_COMMAND ? oneLine
                : oneLine.substring(0, MAX_QUOTED_COMMAND) + "…";
    }

    /** Atlantis's plan/apply flags, checked as Atlantis checks them. */
    private static final class AtlantisArgs {
        private final Verb verb;
        private Optional<String> project = Optional.empty();
        private Optional<String> dir = Optional.empty();
        private Optional<String> workspace = Optional.empty();
        private boolean verbose;
        private boolean autoMergeDisabled;
        private Optional<String> autoMergeMethod = Optional.empty();

        AtlantisArgs(Verb verb) {
            this.verb = verb;
        }

        CommentCommand read(List<CommentToken> args) throws CommandException {
            List<String> extra = List.of();
            for (int i = 0; i < args.size(); i++) {
                CommentToken t = args.get(i);
                // Atlantis passes everything after a bare "--" to Terraform.
                if ("--".equals(t.text()) && !t.quoted()) {
                    extra = args.subList(i + 1, args.size()).stream()
                            .map(CommentToken::text).toList();
                    break;
                }
                i = readFlag(args, i) - 1;
            }
            // Atlantis: "cannot use -p/--project at same time as -d/--dir or -w/--workspace".
            if (project.isPresent() && (dir.isPresent() || workspace.isPresent())) {
                throw new CommandException("-p cannot be combined with -d or -w.");
            }
            return new CommentCommand.Atlantis(verb, project, dir, workspace, extra);
        }

        private int readFlag(List<CommentToken> args, int i) throws CommandException {
            Flag flag = Flag.of(args, i);
            String name = verb.name().toLowerCase(Locale.ROOT);
            if (flag.is("-p", "--project")) {
                project = once(project, "-p", flag.value());
            } else if (flag.is("-d", "--dir")) {
                dir = once(dir, "-d", directory(flag.value()));
            } else if (flag.is("-w", "--workspace")) {
                workspace = once(workspace, "-w", workspace(flag.value()));
            } else if (flag.is("--verbose") && flag.isBare()) {
                verbose = once(verbose, "--verbose");
                return i + 1;
            } else if (verb == Verb.APPLY && flag.is("--auto-merge-disabled") && flag.isBare()) {
                autoMergeDisabled = once(autoMergeDisabled, "--auto-merge-disabled");
                return i + 1;
            } else if (verb == Verb.APPLY && flag.is("--auto-merge-method")) {
                autoMergeMethod = once(autoMergeMethod, "--auto-merge-method", flag.value());
            } else {
                throw unexpected(args.get(i), name);
            }
            return flag.next();
        }

        private static Optional<String> once(Optional<String> current, String name, String value)
                throws CommandException {
            if (current.isPresent()) {
                throw new CommandException(name + " is given twice.");
            }
            return Optional.of(value);
        }

        private static boolean once(boolean current, String name) throws CommandException {
            if (current) {
                throw new CommandException(name + " is given twice.");
            }
            return true;
        }

        /** Atlantis refuses directories that climb out of the repository. */
        private static String directory(String dir) throws CommandException {
            for (String part : dir.split("[/\\\\]")) {
                if ("..".equals(part)) {
                    throw new CommandException("-d must stay inside the repository (no `..`).");
                }
            }
            return dir;
        }

        /** A Terraform workspace name is one path segment. */
        private static String workspace(String ws) throws CommandException {
            if (ws.contains("/") || ws.contains("\\") || ws.contains("..")) {
                throw new CommandException("-w must be a workspace name, not a path.");
            }
            return ws;
        }
    }

    /** One flag at {@code args[index]}, with its value either after '=' or in the next word. */
    record Flag(
            String name, Optional<String> inlineValue, List<CommentToken> args, int index) {
        static Flag of(List<CommentToken> args, int index) throws CommandException {
            CommentToken t = args.get(index);
            if (t.quoted() || !t.text().startsWith("-") || "-".equals(t.text())) {
                throw new CommandException("unexpected argument " + quote(t.text()) + ".");
            }
            int eq = t.text().indexOf('=');
            return eq < 0 ? new Flag(t.text(), Optional.empty(), args, index)
                    : new Flag(t.text().substring(0, eq),
                            Optional.of(t.text().substring(eq + 1)), args, index);
        }

        boolean is(String... names) {
            for (String n : names) {
                if (n.equals(name)) {
                    return true;
                }
            }
            return false;
        }

        boolean isBare() throws CommandException {
            if (inlineValue.isPresent()) {
                throw new CommandException(name + " takes no value.");
            }
            return true;
        }

        /** The value's token (quoted or not); an inline value counts as unquoted. */
        CommentToken token() throws CommandException {
            if (inlineValue.isPresent()) {
                return new CommentToken(inlineValue.get(), false);
            }
            if (index + 1 >= args.size() || isFlagLike(args.get(index + 1))) {
                throw new CommandException(name + " needs a value.");
            }
            return args.get(index + 1);
        }

        String value() throws CommandException {
            String v = token().text();
            if (v.isBlank()) {
                throw new CommandException(name + " needs a value.");
            }
            return v;
        }

        int next() {
            return inlineValue.isPresent() ? index + 1 : index + 2;
        }

        private static boolean isFlagLike(CommentToken t) {
            return !t.quoted() && t.text().startsWith("-") && t.text().length() > 1;
        }
    }

    /** A problem in a comment addressed to us; becomes {@link Invalid#problem()}. */
    static final class CommandException extends Exception {
        CommandException(String message) {
            super(message, null, false, false);
        }
    }
}
